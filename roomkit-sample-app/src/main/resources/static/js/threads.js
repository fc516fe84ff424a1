// Owns the thread side panel (#thread-panel): opening a message's thread with its replies from the server,
// replies that arrive live (applied by timeline.js), replying in the thread, and closing the panel.
import { publish, requestHistory } from './connection.js';
import { el, timeElement } from './dom.js';
import { state } from './state.js';
import { PAGE } from './timeline.js';
import { textOf } from './timeline-model.js';
import { ui } from './ui.js';

export function initThreads() {
  ui.threadComposer.addEventListener('submit', event => {
    event.preventDefault();
    sendThreadReply();
  });
  ui.threadInput.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      sendThreadReply();
    }
  });
  ui.threadClose.addEventListener('click', () => closeThread());
}

/** Opens a thread in the side panel: its root, and its replies from the server (newest page). */
export function openThread(view, rootId) {
  const client = state.client;
  view.thread = { rootId, replies: new Map() };
  ui.chatView.classList.add('thread-open');
  ui.peoplePanel.hidden = true;
  ui.threadPanel.hidden = false;
  renderThread(view);
  if (client?.connected) {
    requestHistory(client, view, `?thread=${encodeURIComponent(rootId)}&limit=${PAGE}`, false, reply => {
      if (view.thread?.rootId !== rootId) {
        return;
      }
      reply.events.filter(event => event.type === 'message')
        .forEach(event => view.thread.replies.set(event.id, event));
      renderThread(view);
    });
  }
  ui.threadInput.focus();
}

export function closeThread() {
  if (state.view) {
    state.view.thread = null;
  }
  ui.chatView.classList.remove('thread-open');
  ui.threadPanel.hidden = true;
  ui.peoplePanel.hidden = false;
}

export function renderThread(view) {
  if (!view.thread) {
    return;
  }
  const root = view.timeline.get(view.thread.rootId);
  ui.threadRoot.textContent = root
    ? `${root.author}: ${root.deleted ? 'Message deleted' : textOf(root.content)}` : 'A message further up';
  const replies = [...view.thread.replies.values()].sort((a, b) => a.index - b.index);
  ui.threadReplies.replaceChildren(...replies.map(reply => {
    const author = reply.source?.participant_id || reply.source?.channel_id || 'system';
    const deleted = reply.metadata?.deleted === true || view.timeline.get(reply.id)?.deleted;
    const shown = view.timeline.get(reply.id)?.content ?? reply.content;
    return el('li', { dataset: { eventId: reply.id } }, el('span', { class: 'author' }, author), ': ',
      el('span', { class: 'body' }, deleted ? 'Message deleted' : textOf(shown)), ' ',
      timeElement(reply.created_at));
  }));
}

function sendThreadReply() {
  const view = state.view;
  const text = ui.threadInput.value.trim();
  if (!view?.thread || !text) {
    return;
  }
  const sent = publish(`/app/rooms.${view.roomId}.messages`, {
    content: text, parent_event_id: view.thread.rootId, idempotency_key: crypto.randomUUID(),
  });
  if (sent) {
    ui.threadInput.value = '';
  }
}
