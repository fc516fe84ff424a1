// Owns what can be done to a message from its buttons: react (the quick picker), reply in a thread, edit in
// place, delete after a confirmation, and show the edit history of an edited message.
import { api } from './api.js';
import { publish } from './connection.js';
import { el, timeElement } from './dom.js';
import { sendReaction } from './reactions.js';
import { openThread } from './threads.js';
import { textOf } from './timeline-model.js';

const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '👀'];

/** The buttons under a message that is not deleted: React, Reply (on a root), and Edit and Delete (own ones). */
export function messageActions(view, entry, li, own) {
  const picker = el('div', { class: 'picker', role: 'group', 'aria-label': 'Pick a reaction', hidden: true },
    QUICK_REACTIONS.map(emoji => el('button', {
      type: 'button', class: 'pick', 'aria-label': `React with ${emoji}`,
      onclick: () => {
        picker.hidden = true;
        reactButton.setAttribute('aria-expanded', 'false');
        sendReaction(view, entry.id, emoji);
      },
    }, emoji)));
  const reactButton = el('button', {
    type: 'button', class: 'action react', 'aria-expanded': 'false', 'aria-label': 'Add a reaction',
    onclick: () => {
      picker.hidden = !picker.hidden;
      reactButton.setAttribute('aria-expanded', String(!picker.hidden));
      if (!picker.hidden) {
        picker.querySelector('button').focus();
      }
    },
  }, '☺ React');
  picker.addEventListener('keydown', event => {
    if (event.key === 'Escape') {
      picker.hidden = true;
      reactButton.setAttribute('aria-expanded', 'false');
      reactButton.focus();
    }
  });
  const buttons = [reactButton];
  if (!entry.parentId) {
    buttons.push(el('button', { type: 'button', class: 'action reply', onclick: () => openThread(view, entry.id) },
      'Reply'));
  }
  if (own) {
    buttons.push(el('button', { type: 'button', class: 'action edit', onclick: () => startEdit(view, entry, li) },
      'Edit'));
    buttons.push(el('button', { type: 'button', class: 'action delete', onclick: () => confirmDelete(view, entry, li) },
      'Delete'));
  }
  return el('div', { class: 'actions' }, el('div', { class: 'action-buttons' }, buttons), picker);
}

function startEdit(view, entry, li) {
  const body = li.querySelector('.body');
  const actions = li.querySelector('.actions');
  const inputId = `edit-${entry.id}`;
  const input = el('textarea', { id: inputId, class: 'edit-input', rows: '2' });
  input.value = textOf(entry.content);
  const cancel = () => {
    form.replaceWith(body);
    actions.hidden = false;
    li.querySelector('.action.edit')?.focus();
  };
  const save = () => {
    const text = input.value.trim();
    if (!text) {
      return;
    }
    if (text !== textOf(entry.content)) {
      publish(`/app/rooms.${view.roomId}.edit`, { target_event_id: entry.id, new_content: text });
    }
    cancel();
  };
  const form = el('form', { class: 'edit-form', onsubmit: event => {
    event.preventDefault();
    save();
  } },
  el('label', { for: inputId, class: 'visually-hidden' }, 'Edit message'),
  input,
  el('div', { class: 'edit-buttons' },
    el('button', { type: 'submit', class: 'primary' }, 'Save'),
    el('button', { type: 'button', onclick: cancel }, 'Cancel'),
    el('span', { class: 'hint' }, 'Enter to save, Escape to cancel')));
  input.addEventListener('keydown', event => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save();
    }
  });
  body.replaceWith(form);
  actions.hidden = true;
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

function confirmDelete(view, entry, li) {
  const actions = li.querySelector('.actions');
  const keep = () => {
    confirm.replaceWith(actions);
    actions.querySelector('.action.delete')?.focus();
  };
  const confirm = el('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm delete' },
    el('span', {}, 'Delete this message?'), ' ',
    el('button', { type: 'button', class: 'danger', onclick: () => {
      publish(`/app/rooms.${view.roomId}.delete`, { target_event_id: entry.id });
      confirm.replaceWith(actions);
    } }, 'Delete'), ' ',
    el('button', { type: 'button', onclick: keep }, 'Keep'));
  confirm.addEventListener('keydown', event => {
    if (event.key === 'Escape') {
      keep();
    }
  });
  actions.replaceWith(confirm);
  confirm.querySelector('button.danger').focus();
}

export async function toggleEditHistory(view, entry, button, container) {
  if (!container.hidden) {
    container.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  container.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  container.replaceChildren(el('p', { class: 'muted' }, 'Loading the edit history…'));
  try {
    const path = `/api/rooms/${encodeURIComponent(view.roomId)}/events/${encodeURIComponent(entry.id)}/edits`;
    const reply = await api(path);
    // oldest first: the original (what the first edit replaced), then every edit's new text
    const original = reply.edits[0]?.previous_content;
    const versions = reply.edits.map(edit => el('li', {}, timeElement(edit.created_at), ' ',
      el('span', { class: 'version' }, textOf(edit.new_content))));
    if (original) {
      versions.unshift(el('li', { class: 'original' }, el('span', { class: 'muted' }, 'Original: '),
        el('span', { class: 'version' }, textOf(original))));
    }
    container.replaceChildren(
      el('p', { class: 'muted' }, `Edited ${reply.edits.length === 1 ? 'once' : `${reply.edits.length} times`}:`),
      el('ol', {}, versions));
  } catch (error) {
    container.replaceChildren(el('p', { class: 'error' }, `Could not load the edit history: ${error.message}`));
  }
}
