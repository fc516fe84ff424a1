// Owns the outbox (state.outbox, drawn in #outbox): messages the user sent that are not stored yet, sent again
// after a reconnect with the same idempotency key, and shown as pending or failed until their stored event arrives.
import { el } from './dom.js';
import { state } from './state.js';
import { ui } from './ui.js';

/** Sends what is waiting; a resend after a reconnect is harmless, the idempotency key makes it count once. */
export function flushOutbox(client) {
  if (!client?.connected || client !== state.client || state.view?.catchingUp) {
    return;
  }
  for (const item of state.outbox) {
    if (!item.failed) {
      client.publish({
        destination: `/app/rooms.${item.roomId}.messages`,
        body: JSON.stringify(item.mentions?.length
          ? { content: item.text, idempotency_key: item.key, mentions: item.mentions }
          : { content: item.text, idempotency_key: item.key }),
      });
      item.sent = true;
    }
  }
  state.outbox = state.outbox.filter(item => item.roomId === state.view?.roomId || item.failed);
}

/** A stored event with an outbox item's idempotency key: that message arrived. */
export function resolveOutbox(event) {
  if (event.idempotency_key && state.outbox.some(item => item.key === event.idempotency_key)) {
    state.outbox = state.outbox.filter(item => item.key !== event.idempotency_key);
  }
}

export function renderOutbox() {
  const view = state.view;
  const connected = state.client?.connected;
  const items = state.outbox.filter(item => item.roomId === view?.roomId).map(item => el('li',
    { class: `message own pending${item.failed ? ' failed' : ''}`, dataset: { key: item.key } },
    el('div', { class: 'message-head' }, el('span', { class: 'author' }, `${state.user} (you)`)),
    el('p', { class: 'body' }, item.text),
    el('p', { class: 'pending-status' }, item.failed ? `Not sent: ${item.failed} ` : pendingStatus(item, connected),
    item.failed ? el('button', { type: 'button', class: 'link', onclick: () => {
      state.outbox = state.outbox.filter(other => other !== item);
      renderOutbox();
    } }, 'Dismiss') : null)));
  ui.outbox.replaceChildren(...items);
}

/** While an assistant answers, the room's deliveries wait for it: a sent message shows up with the reply. */
function pendingStatus(item, connected) {
  if (!connected) {
    return 'Waiting for the connection…';
  }
  return item.sent && state.view && !state.view.activity.isEmpty ? 'Sent · waiting for the assistant…' : 'Sending…';
}
