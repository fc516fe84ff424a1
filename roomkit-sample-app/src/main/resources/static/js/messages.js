// Owns how the timeline's entries look (#messages): a message with its avatar, author, time, "(edited)" mark,
// reactions, thread line and "Seen by" line, a system notice, or an assistant's tool call; entries in index
// order, grouped by author and separated by day. What a message's buttons do is message-actions.js.
import { el, timeElement } from './dom.js';
import { messageActions, toggleEditHistory } from './message-actions.js';
import { renderReactions } from './reactions.js';
import { state } from './state.js';
import { openThread } from './threads.js';
import { textOf, toolCallText } from './timeline-model.js';
import { ui } from './ui.js';

const TOOL_RESULT_CHARS = 200;
const GROUP_GAP_MS = 5 * 60 * 1000;
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

/** Draws an entry the timeline added or changed, in place. */
export function renderEntry(view, entry) {
  let li = view.elements.get(entry.id);
  const created = !li;
  if (created) {
    li = el('li', { dataset: { eventId: entry.id, index: String(entry.index) } });
    view.elements.set(entry.id, li);
  }
  if (entry.type === 'system') {
    li.className = 'notice';
    li.replaceChildren(el('p', {}, textOf(entry.content)), timeElement(entry.createdAt));
  } else if (entry.type === 'tool_call_end') {
    fillToolCall(entry, li);
  } else {
    fillMessage(view, entry, li);
  }
  if (created) {
    placeInOrder(li, entry.index);
  }
  regroupSoon();
}

/** Initials on a colour of the name's own, the same in every browser. */
function avatar(name) {
  const parts = name.split(/[\s._@-]+/u).filter(Boolean);
  const initials = (parts.length > 1 ? parts[0][0] + parts[1][0] : name.slice(0, 2)).toUpperCase();
  let hue = 0;
  for (const char of name) {
    hue = (hue * 31 + char.codePointAt(0)) % 360;
  }
  return el('span', { class: 'avatar', 'aria-hidden': 'true', style: `--hue: ${hue}` }, initials);
}

/** Groups and day separators depend on neighbours: worked out once after a batch of renders. */
function regroupSoon() {
  if (!state.regroupQueued) {
    state.regroupQueued = true;
    queueMicrotask(() => {
      state.regroupQueued = false;
      regroup();
    });
  }
}

/**
 * A message from the same author as the one above, within five minutes on the same day, continues it (no name
 * and avatar again); the first line of each day says which day it is.
 */
function regroup() {
  let previous = null;
  for (const li of ui.messages.children) {
    const entry = state.view?.timeline.get(li.dataset.eventId);
    const created = new Date(entry?.createdAt ?? NaN);
    const day = Number.isNaN(created.getTime()) ? null : created.toDateString();
    const newDay = day !== null && day !== previous?.day;
    li.querySelector(':scope > .day-separator')?.remove();
    if (newDay) {
      li.prepend(el('div', { class: 'day-separator' }, dayLabel(created)));
    }
    li.classList.toggle('new-day', newDay);
    const continued = !newDay && previous?.type === 'message' && entry?.type === 'message'
      && previous.author === entry.author && created - previous.created < GROUP_GAP_MS;
    li.classList.toggle('continued', Boolean(continued));
    previous = entry ? { day, type: entry.type, author: entry.author, created } : previous;
  }
}

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) {
    return 'Today';
  }
  return date.toDateString() === yesterday.toDateString() ? 'Yesterday' : dayFormat.format(date);
}

/** A tool an assistant used, as one muted line: "🔧 weather → Sunny in Paris". */
function fillToolCall(entry, li) {
  const full = toolCallText(entry.content);
  const shown = full.length <= TOOL_RESULT_CHARS ? full : `${full.slice(0, TOOL_RESULT_CHARS - 1)}…`;
  const failed = entry.content?.status === 'failed';
  li.className = `tool-call${failed ? ' failed' : ''}`;
  li.replaceChildren(el('span', { class: 'tool-icon', 'aria-hidden': 'true' }, '🔧'),
    el('span', { class: 'visually-hidden' }, `${entry.author} used a tool: `),
    el('span', { class: 'tool-text', title: full }, shown), ' ', timeElement(entry.createdAt));
}

function fillMessage(view, entry, li) {
  const own = entry.author === state.user;
  li.className = ['message', own ? 'own' : '', entry.deleted ? 'deleted' : '', entry.edited ? 'edited' : '']
    .filter(Boolean).join(' ');
  const head = el('div', { class: 'message-head' }, avatar(entry.author),
    el('span', { class: 'author' }, own ? `${entry.author} (you)` : entry.author),
    entry.bot ? el('span', { class: 'bot-badge', title: 'An AI assistant' }, 'bot') : '', ' ',
    timeElement(entry.createdAt));
  const editHistory = el('div', { class: 'edit-history', hidden: true });
  if (entry.edited && !entry.deleted) {
    head.append(' ', el('button', {
      type: 'button', class: 'edited-mark link', 'aria-expanded': 'false',
      title: 'Show the edit history',
      onclick: event => toggleEditHistory(view, entry, event.currentTarget, editHistory),
    }, '(edited)'));
  }
  const body = entry.deleted
    ? el('p', { class: 'body placeholder' }, 'Message deleted')
    : el('p', { class: 'body' }, textOf(entry.content));
  const reactions = el('div', { class: 'reactions' });
  const actions = entry.deleted ? null : messageActions(view, entry, li, own);
  li.replaceChildren(head, body, editHistory, reactions, threadLine(view, entry), actions ?? '',
    el('p', { class: 'seen-by' }));
  renderReactions(view, entry.id, reactions);
}

/** Under a root: "2 replies", which opens its thread; under a reply: a link to the thread it belongs to. */
function threadLine(view, entry) {
  if (entry.parentId) {
    return el('button', { type: 'button', class: 'in-thread link', onclick: () => openThread(view, entry.parentId) },
      '↳ in a thread');
  }
  const count = view.timeline.replyCount(entry.id);
  if (count === 0) {
    return '';
  }
  return el('button', { type: 'button', class: 'thread-link link', onclick: () => openThread(view, entry.id) },
    count === 1 ? '1 reply' : `${count} replies`);
}

function placeInOrder(li, index) {
  const last = ui.messages.lastElementChild;
  if (!last || Number(last.dataset.index) < index) {
    ui.messages.append(li);
    return;
  }
  for (const child of ui.messages.children) {
    if (Number(child.dataset.index) > index) {
      ui.messages.insertBefore(li, child);
      return;
    }
  }
  ui.messages.append(li);
}
