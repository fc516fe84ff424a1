// Owns the send box (#composer): Enter sends (through the outbox), @name mentions with completion, and the
// typing frames this user sends while writing.
import { publish } from './connection.js';
import { el } from './dom.js';
import { flushOutbox, renderOutbox } from './outbox.js';
import { state } from './state.js';
import { scrollToBottom } from './timeline.js';
import { ui } from './ui.js';

const TYPING_RENEW_MS = 3000;
const TYPING_IDLE_MS = 4000;
const MENTION = /(^|\s)@([\p{L}\p{N}_.-]*[\p{L}\p{N}_-])/gu;

export function initComposer() {
  ui.composer.addEventListener('submit', event => {
    event.preventDefault();
    sendComposed();
  });
  ui.composerInput.addEventListener('keydown', onComposerKey);
  ui.composerInput.addEventListener('input', onComposerInput);
  ui.composerInput.addEventListener('blur', () => stopTyping());
}

function onComposerKey(event) {
  if (event.key === 'Tab' && !ui.mentionSuggestions.hidden) {
    event.preventDefault();
    ui.mentionSuggestions.querySelector('button')?.click();
    return;
  }
  if (event.key === 'Escape' && !ui.mentionSuggestions.hidden) {
    ui.mentionSuggestions.hidden = true;
    return;
  }
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendComposed();
  }
}

function sendComposed() {
  const view = state.view;
  const text = ui.composerInput.value.trim();
  if (!view || !text) {
    return;
  }
  ui.composerInput.value = '';
  ui.mentionSuggestions.hidden = true;
  stopTyping();
  state.outbox.push({
    key: crypto.randomUUID(), roomId: view.roomId, text, mentions: mentionsIn(text), sent: false, failed: null,
  });
  flushOutbox(state.client);
  renderOutbox();
  scrollToBottom();
}

// ---- mentions ---------------------------------------------------------------------------------------------

/** The users a text mentions: every "@name" that starts a word, once each. */
function mentionsIn(text) {
  return [...new Set([...text.matchAll(MENTION)].map(match => match[2]))].slice(0, 50);
}

/** People one may mention here: who is present and who has written, the user aside. */
function mentionablePeople(view) {
  const people = new Set(view.presence.keys());
  view.timeline.entries.forEach(entry => {
    if (entry.type === 'message') {
      people.add(entry.author);
    }
  });
  people.delete(state.user);
  return [...people].sort((a, b) => a.localeCompare(b));
}

/** Offers the people whose name starts with the "@…" being typed; picking one completes it. */
function suggestMentions(view) {
  const input = ui.composerInput;
  const before = input.value.slice(0, input.selectionStart);
  const typed = /(^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(before);
  const prefix = typed?.[2].toLowerCase();
  const matches = typed ? mentionablePeople(view).filter(name => name.toLowerCase().startsWith(prefix)).slice(0, 5)
    : [];
  ui.mentionSuggestions.replaceChildren(...matches.map(name => el('button', {
    type: 'button', class: 'chip suggestion', 'aria-label': `Mention ${name}`,
    onclick: () => {
      const start = before.length - typed[2].length;
      input.value = `${input.value.slice(0, start)}${name} ${input.value.slice(input.selectionStart)}`;
      input.selectionStart = input.selectionEnd = start + name.length + 1;
      ui.mentionSuggestions.hidden = true;
      input.focus();
    },
  }, `@${name}`)));
  ui.mentionSuggestions.hidden = matches.length === 0;
}

// ---- typing frames ----------------------------------------------------------------------------------------

function onComposerInput() {
  const view = state.view;
  if (view) {
    suggestMentions(view);
  }
  if (!view || !state.client?.connected) {
    return;
  }
  if (!ui.composerInput.value.trim()) {
    stopTyping();
    return;
  }
  const now = Date.now();
  if (now - state.typingSentAt > TYPING_RENEW_MS) {
    state.typingSentAt = now;
    publish(`/app/rooms.${view.roomId}.typing`, { typing: true });
  }
  clearTimeout(state.typingIdleTimer);
  state.typingIdleTimer = setTimeout(() => stopTyping(), TYPING_IDLE_MS);
}

/** Tells the room this user stopped typing, if it was told they started. */
export function stopTyping() {
  clearTimeout(state.typingIdleTimer);
  if (state.typingSentAt && state.view && state.client?.connected) {
    publish(`/app/rooms.${state.view.roomId}.typing`, { typing: false });
  }
  state.typingSentAt = 0;
}
