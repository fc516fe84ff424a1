// Owns the room list: polling it over REST, the unread and mention badges the server pushes on
// /user/queue/rooms, creating a room, and the address (#room-id) that says which room is open.
import { api } from './api.js';
import { el } from './dom.js';
import { hideNotice, showNotice } from './notice.js';
import { closeRoom, openRoom } from './open-room.js';
import { renderPresence } from './presence.js';
import { state } from './state.js';
import { ui } from './ui.js';

const ROOM_PATTERN = /^[A-Za-z0-9_@:-]{1,128}$/;
const FIRST_ROOM = 'general';
const ROOMS_REFRESH_SOON_MS = 300;
const ROOMS_UNREACHABLE = 'The room list could not be updated: the server cannot be reached. It will update when the '
  + 'connection is back.';

export function initRooms() {
  ui.createRoomForm.addEventListener('submit', onCreateRoom);
  window.addEventListener('hashchange', () => openRoomFromHash());
}

export async function refreshRooms() {
  if (!state.user) {
    return;
  }
  try {
    const { rooms } = await api(`/api/rooms?user=${encodeURIComponent(state.user)}`);
    state.rooms = rooms;
    renderRooms();
    if (ui.notice.textContent === ROOMS_UNREACHABLE) {
      hideNotice(); // the connection is back: the old news would only confuse
    }
  } catch (error) {
    showNotice(ROOMS_UNREACHABLE);
  }
}

/**
 * The server pushes the unread and mention counts of the user's rooms when they change, and says when the user
 * left one; a room not in the list yet is one the user just joined.
 */
export function onRoomCounts(update) {
  if (typeof update.room_id !== 'string') {
    return;
  }
  if (update.removed) {
    state.roomCounts.delete(update.room_id);
  } else {
    state.roomCounts.set(update.room_id,
      { unread: Number(update.unread) || 0, mentions: Number(update.mentions) || 0 });
  }
  if (!state.rooms.some(room => room.id === update.room_id)) {
    refreshRoomsSoon();
  }
  renderRooms();
}

export function forgetPushedCounts() {
  if (state.roomCounts.size > 0) {
    state.roomCounts.clear();
    renderRooms();
  }
}

export function refreshRoomsSoon() {
  clearTimeout(state.roomsRefreshTimer);
  state.roomsRefreshTimer = setTimeout(refreshRooms, ROOMS_REFRESH_SOON_MS);
}

export function renderRooms() {
  const current = state.view?.roomId;
  const items = state.rooms.map(room => {
    const pushed = state.roomCounts.get(room.id);
    const unread = room.id === current ? 0 : pushed?.unread ?? room.unread;
    const mentions = room.id === current ? 0 : pushed?.mentions ?? 0;
    const link = el('a', { href: `#${room.id}`, 'aria-current': room.id === current ? 'page' : null },
      el('span', { class: 'room-name' }, `# ${room.id}`));
    if (mentions > 0) {
      link.append(el('span', { class: 'badge mention' }, `@${mentions > 99 ? '99+' : mentions}`,
        el('span', { class: 'visually-hidden' }, mentions === 1 ? ' mention' : ' mentions')));
    }
    if (unread > 0) {
      link.append(el('span', { class: 'badge' }, unread > 99 ? '99+' : String(unread),
        el('span', { class: 'visually-hidden' }, ' unread')));
    }
    return el('li', { dataset: { roomId: room.id, unread: String(unread), mentions: String(mentions) } }, link);
  });
  if (items.length === 0) {
    items.push(el('li', { class: 'empty' }, 'No rooms yet.'));
  }
  ui.roomList.replaceChildren(...items);
  if (state.view) {
    renderPresence(state.view); // the list says which rooms the user owns, and so where "Remove" is offered
  }
  if (current && state.revealedRoom !== current) {
    const item = [...ui.roomList.children].find(li => li.dataset.roomId === current);
    if (item) {
      revealInList(ui.roomList, item);
      state.revealedRoom = current;
    }
  }
}

/** Scrolls the list (and only the list, never the page) so that the item is visible. */
function revealInList(list, item) {
  const top = item.offsetTop;
  const left = item.offsetLeft;
  if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = top - (list.clientHeight - item.offsetHeight) / 2;
  }
  if (left < list.scrollLeft || left + item.offsetWidth > list.scrollLeft + list.clientWidth) {
    list.scrollLeft = left - (list.clientWidth - item.offsetWidth) / 2;
  }
}

async function onCreateRoom(event) {
  event.preventDefault();
  const id = ui.roomInput.value.trim();
  if (!ROOM_PATTERN.test(id)) {
    ui.roomError.textContent = 'Use letters, digits, "_", "-", ":" or "@" (no spaces or dots).';
    ui.roomInput.setAttribute('aria-invalid', 'true');
    return;
  }
  ui.roomInput.removeAttribute('aria-invalid');
  ui.roomError.textContent = '';
  try {
    if (!state.rooms.some(room => room.id === id)) {
      await api('/api/rooms', { method: 'POST', body: JSON.stringify({ id, user: state.user }) });
    }
  } catch (error) {
    if (error.code !== 'room_exists') {
      ui.roomError.textContent = error.message;
      return;
    }
  }
  ui.roomInput.value = '';
  await refreshRooms();
  location.hash = id;
}

/** Opens the room named by the address (#room-id), or the first room; with open rooms, opening creates it. */
export function openRoomFromHash() {
  if (!state.user) {
    return;
  }
  let roomId = decodeURIComponent(location.hash.slice(1));
  if (!roomId) {
    roomId = state.rooms[0]?.id ?? FIRST_ROOM;
    history.replaceState(null, '', `#${roomId}`);
  }
  if (!ROOM_PATTERN.test(roomId)) {
    closeRoom();
    ui.noRoom.textContent = `"${roomId}" is not a valid room name.`;
    return;
  }
  if (state.view?.roomId !== roomId) {
    openRoom(roomId);
  }
}
