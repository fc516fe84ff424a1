// Owns what fills the open room's timeline and where it is scrolled: the first page of history, catching up
// after a reconnect, older pages when scrolling back, live events in index order (missed ones fetched, see
// ordering.js), the "new messages" button, and the read marker that moves when the newest message is on screen.
// How each message looks is messages.js.
import { endActivityOnReply } from './assistant.js';
import { publish, requestHistory } from './connection.js';
import { renderEntry } from './messages.js';
import { flushOutbox, renderOutbox, resolveOutbox } from './outbox.js';
import { onTypingStop } from './presence.js';
import { seedReactions } from './reactions.js';
import { loadReadMarkers, renderReceipts } from './receipts.js';
import { refreshRoomsSoon } from './rooms.js';
import { state } from './state.js';
import { renderThread } from './threads.js';
import { ui } from './ui.js';

/** Events per history page (the newest page, an older page, a thread's replies). */
export const PAGE = 50;
const CATCH_UP_PAGE = 200;
const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 80;

export function initTimeline() {
  ui.timeline.addEventListener('scroll', onTimelineScroll, { passive: true });
  ui.loadOlder.addEventListener('click', () => loadOlder());
  ui.jumpNew.addEventListener('click', () => {
    scrollToBottom();
    markRead();
  });
}

/** On (re)connecting: the newest page the first time, afterwards what was stored while the connection was down. */
export function syncTimeline(client, view) {
  if (view.loaded) {
    catchUp(client, view);
  } else {
    requestHistory(client, view, `?limit=${PAGE}`, true, reply => {
      absorbPage(view, reply.events, 'latest', reply.latest_index);
      view.order.knownUpTo(view.timeline.maxIndex);
      view.loaded = true;
      scrollToBottom();
      loadReadMarkers(view);
      afterSync(client, view);
    });
  }
}

/**
 * After a reconnect: everything after the last index received without a gap (not the highest one: a later event
 * may have arrived before an earlier one was lost), page by page, then the outbox.
 */
export function catchUp(client, view) {
  view.catchingUp = true;
  const after = view.order.contiguous ?? view.timeline.maxIndex;
  requestHistory(client, view, `?after_index=${after}&limit=${CATCH_UP_PAGE}`, true, reply => {
    const atBottom = isNearBottom();
    absorbPage(view, reply.events, 'after', reply.latest_index);
    view.order.knownUpTo(Math.max(after, ...reply.events.map(event => event.index)));
    if (atBottom) {
      scrollToBottom();
    }
    if (reply.events.length === CATCH_UP_PAGE) {
      catchUp(client, view);
      return;
    }
    view.catchingUp = false;
    afterSync(client, view);
  });
}

function afterSync(client, view) {
  flushOutbox(client);
  markRead();
  refreshRoomsSoon();
}

function loadOlder() {
  const view = state.view;
  const client = state.client;
  if (!view || !view.loaded || view.loadingOlder || !view.timeline.hasOlder || !client?.connected) {
    return;
  }
  view.loadingOlder = true;
  updateHistoryControls();
  requestHistory(client, view, `?before_index=${view.timeline.minIndex}&limit=${PAGE}`, false, reply => {
    const before = ui.timeline.scrollHeight;
    const top = ui.timeline.scrollTop;
    absorbPage(view, reply.events, 'before', reply.latest_index);
    ui.timeline.scrollTop = top + (ui.timeline.scrollHeight - before);
    view.loadingOlder = false;
    updateHistoryControls();
  });
}

function absorbPage(view, events, kind, latestIndex) {
  const changed = [];
  for (const event of events) {
    seedReactions(view, event);
    if (event.thread) {
      // counted up to its newest reply: replies with a higher index are news
      const asOf = Number(event.thread.last_reply_index ?? latestIndex);
      view.timeline.seedThread(event.id, Number(event.thread.reply_count) || 0, Number.isFinite(asOf) ? asOf : -1);
    }
    changed.push(...view.timeline.absorb(event));
    resolveOutbox(event);
    endActivityOnReply(view, event);
  }
  if (kind === 'before' && events.length === 0) {
    view.timeline.minIndex = 0;
  }
  changed.forEach(entry => renderEntry(view, entry));
  if (changed.length > 0) {
    renderReceipts(view);
  }
  updateHistoryControls();
  renderOutbox();
}

/** A persistent event from the room's topic: applied in index order, a missed one fetched first. */
export function onLiveEvent(view, event) {
  if (state.view === view) {
    view.order.offer(event);
  }
}

/** Asks for the events after `after` that did not arrive live (see ordering.js). */
export function fetchMissed(view, after, done) {
  const client = state.client;
  if (state.view !== view || !client?.connected) {
    view.order.cancel(); // the reconnect's catch-up fetches them
    return;
  }
  requestHistory(client, view, `?after_index=${after}&limit=${CATCH_UP_PAGE}`, false, reply => {
    done(reply.events, reply.events.length < CATCH_UP_PAGE);
  });
}

/** A live event, now in index order. */
export function applyLiveEvent(view, event) {
  if (state.view !== view) {
    return;
  }
  if (view.thread && event.type === 'message' && event.parent_event_id === view.thread.rootId) {
    view.thread.replies.set(event.id, event);
    renderThread(view);
  }
  const atBottom = isNearBottom();
  const changed = view.timeline.absorb(event);
  resolveOutbox(event);
  changed.forEach(entry => renderEntry(view, entry));
  if (event.type === 'message') {
    const author = event.source?.participant_id;
    if (author && view.typing.has(author)) {
      onTypingStop(view, author); // a message ends its author's typing
    }
    endActivityOnReply(view, event);
  }
  renderOutbox();
  if (changed.length === 0) {
    return;
  }
  renderReceipts(view);
  const fresh = event.type === 'message' && changed[0].id === event.id;
  if (atBottom) {
    scrollToBottom();
  } else if (fresh && event.source?.participant_id !== state.user) {
    view.newBelow += 1;
    updateJumpButton();
  }
  markRead();
}

// ---- scrolling and reading ---------------------------------------------------------------------------------

export function isNearBottom() {
  const t = ui.timeline;
  return t.scrollHeight - t.scrollTop - t.clientHeight < NEAR_BOTTOM_PX;
}

export function scrollToBottom() {
  ui.timeline.scrollTop = ui.timeline.scrollHeight;
}

function onTimelineScroll() {
  if (ui.timeline.scrollTop < NEAR_TOP_PX) {
    loadOlder();
  }
  if (isNearBottom()) {
    markRead();
  }
}

/** Moves the durable read marker (and tells the room) when the newest message is on screen. */
export function markRead() {
  const view = state.view;
  if (!view || !view.loaded || !state.client?.connected || document.visibilityState !== 'visible' || !isNearBottom()) {
    return;
  }
  view.newBelow = 0;
  updateJumpButton();
  const newest = view.timeline.newestMessage();
  if (!newest || newest.index <= view.lastReadIndex) {
    return;
  }
  view.lastReadIndex = newest.index;
  publish(`/app/rooms.${view.roomId}.read`, { event_id: newest.id });
  refreshRoomsSoon();
}

export function updateJumpButton() {
  const count = state.view?.newBelow ?? 0;
  ui.jumpNew.hidden = count === 0;
  ui.jumpNew.textContent = count === 1 ? '1 new message ↓' : `${count} new messages ↓`;
}

export function updateHistoryControls() {
  const view = state.view;
  const older = Boolean(view?.loaded && view.timeline.hasOlder);
  ui.loadOlder.hidden = !older;
  ui.loadOlder.disabled = Boolean(view?.loadingOlder);
  ui.loadOlder.textContent = view?.loadingOlder ? 'Loading older messages…' : 'Load older messages';
  ui.historyStart.hidden = !(view?.loaded && !view.timeline.hasOlder);
}
