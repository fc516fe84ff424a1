// Owns read receipts (view.receipts: user -> the index they read up to): the durable read markers loaded with
// the room, live `read_receipt` events, and the "Seen by" line under messages.
import { api } from './api.js';
import { listNames } from './dom.js';
import { showNotice } from './notice.js';
import { state } from './state.js';

export async function loadReadMarkers(view) {
  try {
    const { markers } = await api(`/api/rooms/${encodeURIComponent(view.roomId)}/read-markers`);
    for (const [user, index] of Object.entries(markers)) {
      if (index > (view.receipts.get(user) ?? -1)) {
        view.receipts.set(user, index);
      }
    }
    renderReceipts(view);
  } catch (error) {
    showNotice(`Could not load read receipts: ${error.message}`);
  }
}

/** Another user read up to a message: their receipt only ever moves forward. */
export function onReadReceipt(view, user, data) {
  const entry = view.timeline.get(data.event_id);
  if (entry && user !== state.user && entry.index > (view.receipts.get(user) ?? -1)) {
    view.receipts.set(user, entry.index);
    renderReceipts(view);
  }
}

/** "Seen by" goes under the newest message of someone else that each other user has read. */
export function renderReceipts(view) {
  const messages = view.timeline.sorted().filter(entry => entry.type === 'message');
  const seenBy = new Map();
  for (const [user, index] of view.receipts) {
    if (user === state.user) {
      continue;
    }
    let target = null;
    for (const entry of messages) {
      if (entry.index > index) {
        break;
      }
      if (entry.author !== user) {
        target = entry;
      }
    }
    if (target) {
      seenBy.set(target.id, [...(seenBy.get(target.id) ?? []), user]);
    }
  }
  for (const entry of messages) {
    const line = view.elements.get(entry.id)?.querySelector('.seen-by');
    if (line) {
      const users = (seenBy.get(entry.id) ?? []).sort((a, b) => a.localeCompare(b));
      line.textContent = users.length ? `Seen by ${listNames(users)}` : '';
    }
  }
}
