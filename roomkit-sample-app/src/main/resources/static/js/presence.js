// Owns who is in the open room and who is typing: the "Here now" list (view.presence, from the history reply's
// snapshot, presence events and coalesced diffs) with the owner's "Remove" buttons, and the typing indicator
// (view.typing: user -> the timer that ends their typing if no frame renews it).
import { publish } from './connection.js';
import { describeTypers, el } from './dom.js';
import { state } from './state.js';
import { ui } from './ui.js';

const TYPING_EXPIRY_MS = 6000;

// ---- typing ------------------------------------------------------------------------------------------------

export function onTypingStart(view, user) {
  if (user !== state.user) {
    clearTimeout(view.typing.get(user));
    view.typing.set(user, setTimeout(() => {
      view.typing.delete(user);
      renderTyping(view);
    }, TYPING_EXPIRY_MS));
    renderTyping(view);
  }
}

export function onTypingStop(view, user) {
  clearTimeout(view.typing.get(user));
  view.typing.delete(user);
  renderTyping(view);
}

export function clearTypers(view) {
  view.typing.forEach(timer => clearTimeout(timer));
  view.typing.clear();
  renderTyping(view);
}

function renderTyping(view) {
  ui.typing.textContent = describeTypers([...view.typing.keys()]);
}

// ---- presence ----------------------------------------------------------------------------------------------

export function setPresence(view, snapshot) {
  view.presence.clear();
  for (const person of snapshot) {
    view.presence.set(person.user_id, person.status || 'online');
  }
  renderPresence(view);
}

/** 'online', 'away' or a custom status. */
export function setStatus(view, user, status) {
  view.presence.set(user, status);
  renderPresence(view);
}

export function removePerson(view, user) {
  view.presence.delete(user);
  renderPresence(view);
}

// Rooms above roomkit.presence.coalesce-above announce arrivals and departures as one diff per window; applied
// in order over the history reply's snapshot, the list converges to who is online.
export function applyPresenceDiff(view, diff) {
  for (const person of diff.online || []) {
    view.presence.set(person.user_id, person.status || 'online');
  }
  for (const user of diff.offline || []) {
    view.presence.delete(user);
  }
  renderPresence(view);
}

export function renderPresence(view) {
  const people = [...view.presence.entries()].sort(([a], [b]) => a.localeCompare(b));
  ui.presenceCount.textContent = `(${people.length})`;
  ui.presenceList.replaceChildren(...people.map(([user, status]) => el('li',
    { class: `person status-${status === 'online' || status === 'away' ? status : 'custom'}`,
      dataset: { userId: user } },
    el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'person-name' }, user),
    user === state.user ? el('span', { class: 'you' }, ' (you)') : null,
    status !== 'online' ? el('span', { class: 'person-status' }, ` — ${status}`) : null,
    ownsRoom(view) && user !== state.user ? removeButton(view, user) : null)));
}

/** Whether the signed-in user owns the open room, as the room list says. */
function ownsRoom(view) {
  return state.rooms.some(room => room.id === view.roomId && room.role === 'owner');
}

/** The owner's "Remove" button: a kick over STOMP; the server ends the member's subscriptions and says so. */
function removeButton(view, user) {
  return el('button', {
    type: 'button', class: 'remove-member', title: `Remove ${user} from this room`,
    onclick: () => {
      if (window.confirm(`Remove ${user} from ${view.roomId}?`)) {
        publish(`/app/rooms.${view.roomId}.moderate`, { action: 'kick', user_id: user });
      }
    },
  }, 'Remove');
}
