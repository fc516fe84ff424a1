// Owns opening and leaving a room: the view object that holds everything known about the open room (kept in
// state.view), resetting the room's part of the page, and starting or ending the room's connection.
import { AssistantActivity } from './assistant-activity.js';
import { stopTyping } from './composer.js';
import { connect } from './connection.js';
import { IndexOrder } from './ordering.js';
import { renderOutbox } from './outbox.js';
import { forgetPushedCounts, renderRooms } from './rooms.js';
import { state } from './state.js';
import { closeThread } from './threads.js';
import { applyLiveEvent, fetchMissed, updateHistoryControls, updateJumpButton } from './timeline.js';
import { Timeline } from './timeline-model.js';
import { ui } from './ui.js';

function newView(roomId) {
  const view = {
    roomId,
    timeline: new Timeline(),
    order: null,
    elements: new Map(),
    loaded: false,
    loadingOlder: false,
    catchingUp: false,
    reactions: new Map(),
    receipts: new Map(),
    typing: new Map(),
    activity: new AssistantActivity(),
    activityTimers: new Map(),
    presence: new Map(),
    lastReadIndex: -1,
    newBelow: 0,
    thread: null, // the open thread: { rootId, replies: Map(id -> event) }
  };
  view.order = new IndexOrder(event => applyLiveEvent(view, event), (after, done) => fetchMissed(view, after, done));
  return view;
}

/** Leaves the open room; its connection closes in the background (the next room gets a new one). */
export function closeRoom() {
  stopTyping();
  const client = state.client;
  state.client = null;
  if (state.view) {
    state.view.order.cancel();
    state.view.typing.forEach(timer => clearTimeout(timer));
    state.view.activityTimers.forEach(timer => clearTimeout(timer));
  }
  state.view = null;
  closeThread();
  forgetPushedCounts();
  ui.roomView.hidden = true;
  ui.noRoom.hidden = false;
  ui.noRoom.textContent = 'Choose a room or create one.';
  client?.deactivate();
}

/**
 * Opens a room with a connection of its own: the server counts presence per connection and room, so a fresh
 * connection per open room keeps "who is here" exact when switching rooms.
 */
export function openRoom(roomId) {
  closeRoom();
  const view = newView(roomId);
  state.view = view;
  ui.noRoom.hidden = true;
  ui.roomView.hidden = false;
  ui.roomTitle.textContent = `# ${roomId}`;
  ui.composerInput.placeholder = `Message # ${roomId}`;
  ui.messages.replaceChildren();
  ui.activity.replaceChildren();
  ui.typing.textContent = '';
  ui.notice.textContent = '';
  ui.presenceList.replaceChildren();
  ui.presenceCount.textContent = '';
  updateHistoryControls();
  updateJumpButton();
  renderRooms();
  renderOutbox();
  connect(view);
  ui.composerInput.focus();
}
