// The RoomKit sample chat: one STOMP connection for the open room (see DESIGN.md §4 for the protocol),
// a little REST for the room list, room creation, edit history and read markers.
import { Timeline, textOf, toolCallText } from './timeline-model.js';
import { IndexOrder } from './ordering.js';
import { AssistantActivity, describeActivity, thinkingPreview } from './assistant-activity.js';
import { byId, describeTypers, el, listNames, timeElement } from './dom.js';

const NAME_PATTERN = /^[\p{L}\p{N}_.@-]{1,64}$/u;
const ROOM_PATTERN = /^[A-Za-z0-9_@:-]{1,128}$/;
const FIRST_ROOM = 'general';
const PAGE = 50;
const CATCH_UP_PAGE = 200;
const TYPING_RENEW_MS = 3000;
const TYPING_IDLE_MS = 4000;
const TYPING_EXPIRY_MS = 6000;
// An assistant that neither replies nor sends another event for this long is no longer shown as busy.
const ACTIVITY_EXPIRY_MS = 30000;
const TOOL_RESULT_CHARS = 200;
const ROOMS_REFRESH_MS = 5000; // rooms others create; the counts of the user's own rooms are pushed
const NOTICE_MS = 8000;
const ROOMS_UNREACHABLE = 'The room list could not be updated: the server cannot be reached. It will update when the '
  + 'connection is back.';
const RESUBSCRIBE_FIRST_MS = 250;
const RESUBSCRIBE_MAX_MS = 5000;
const RESUBSCRIBE_ATTEMPTS = 10; // about half a minute of pauses; then the refusal is shown
const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 80;
const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '👀'];
// Per tab, so that a second window can sign in as someone else; a reload keeps the name.
const USER_KEY = 'roomkit.sample.user';

const ui = {
  connection: byId('connection'),
  whoami: byId('whoami'),
  me: byId('me'),
  signOut: byId('sign-out'),
  signInView: byId('sign-in-view'),
  signInForm: byId('sign-in-form'),
  nameInput: byId('name-input'),
  nameError: byId('name-error'),
  chatView: byId('chat-view'),
  roomList: byId('room-list'),
  createRoomForm: byId('create-room-form'),
  roomInput: byId('room-input'),
  roomError: byId('room-error'),
  noRoom: byId('no-room'),
  roomView: byId('room-view'),
  roomTitle: byId('room-title'),
  timeline: byId('timeline'),
  loadOlder: byId('load-older'),
  historyStart: byId('history-start'),
  messages: byId('messages'),
  outbox: byId('outbox'),
  activity: byId('assistant-activity'),
  jumpNew: byId('jump-new'),
  typing: byId('typing'),
  composer: byId('composer'),
  composerInput: byId('composer-input'),
  mentionSuggestions: byId('mention-suggestions'),
  notice: byId('room-notice'),
  presenceList: byId('presence-list'),
  presenceCount: byId('presence-count'),
  peoplePanel: byId('people-panel'),
  threadPanel: byId('thread-panel'),
  threadClose: byId('thread-close'),
  threadRoot: byId('thread-root'),
  threadReplies: byId('thread-replies'),
  threadComposer: byId('thread-composer'),
  threadInput: byId('thread-input'),
};

const app = {
  user: null,
  // {header_name, token} when Spring Security signed the user in (the secure profile)
  csrf: null,
  client: null,
  everConnected: false,
  rooms: [],
  // room id -> the newest {unread, mentions} the server pushed on /user/queue/rooms (rooms the user belongs to)
  roomCounts: new Map(),
  view: null,
  outbox: [],
  roomsTimer: null,
  noticeTimer: null,
  revealedRoom: null,
  typingSentAt: 0,
  typingIdleTimer: null,
  // destination -> subscription that is made again if the server refuses it for a moment
  retryable: new Map(),
};

// ---- sign in -----------------------------------------------------------------------------------------------

function start() {
  ui.signInForm.addEventListener('submit', onSignIn);
  ui.signOut.addEventListener('click', signOut);
  ui.createRoomForm.addEventListener('submit', onCreateRoom);
  ui.composer.addEventListener('submit', event => {
    event.preventDefault();
    sendComposed();
  });
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
  ui.composerInput.addEventListener('keydown', onComposerKey);
  ui.composerInput.addEventListener('input', onComposerInput);
  ui.composerInput.addEventListener('blur', () => stopTyping());
  ui.timeline.addEventListener('scroll', onTimelineScroll, { passive: true });
  ui.loadOlder.addEventListener('click', () => loadOlder());
  ui.jumpNew.addEventListener('click', () => {
    scrollToBottom();
    markRead();
  });
  window.addEventListener('hashchange', () => openRoomFromHash());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      markRead();
      refreshRooms();
    }
  });
  window.addEventListener('focus', () => markRead());

  loadSession().then(session => {
    if (session.user) {
      // signed in with Spring Security (secure profile): the server says who we are
      app.csrf = session.csrf;
      signIn(session.user);
      return;
    }
    const saved = sessionStorage.getItem(USER_KEY);
    if (saved && NAME_PATTERN.test(saved)) {
      signIn(saved);
    } else {
      showSignIn();
    }
  });
}

async function loadSession() {
  try {
    return await api('/api/session');
  } catch (error) {
    return { user: null, csrf: null };
  }
}

function showSignIn(message = '') {
  ui.signInView.hidden = false;
  ui.chatView.hidden = true;
  ui.whoami.hidden = true;
  ui.nameError.textContent = message;
  setConnection('offline', 'Not signed in');
  ui.nameInput.focus();
}

function onSignIn(event) {
  event.preventDefault();
  const name = ui.nameInput.value.trim();
  if (!NAME_PATTERN.test(name)) {
    ui.nameError.textContent = 'Use 1 to 64 letters, digits, "_", ".", "@" or "-" (no spaces).';
    ui.nameInput.setAttribute('aria-invalid', 'true');
    ui.nameInput.focus();
    return;
  }
  ui.nameInput.removeAttribute('aria-invalid');
  sessionStorage.setItem(USER_KEY, name);
  signIn(name);
}

function signIn(name) {
  app.user = name;
  ui.me.textContent = name;
  ui.whoami.hidden = false;
  ui.signInView.hidden = true;
  ui.chatView.hidden = false;
  ui.nameError.textContent = '';
  clearInterval(app.roomsTimer);
  app.roomsTimer = setInterval(() => {
    if (document.visibilityState === 'visible') {
      refreshRooms();
    }
  }, ROOMS_REFRESH_MS);
  refreshRooms().then(() => openRoomFromHash());
}

function signOut(message = '') {
  if (app.csrf) {
    // a Spring Security session ends with a POST to /logout, which needs the CSRF token like any POST
    fetch('/logout', { method: 'POST', headers: csrfHeaders() }).finally(() => location.assign('/login?logout'));
    return;
  }
  sessionStorage.removeItem(USER_KEY);
  clearInterval(app.roomsTimer);
  closeRoom();
  app.user = null;
  app.outbox = [];
  renderOutbox();
  history.replaceState(null, '', location.pathname);
  showSignIn(typeof message === 'string' ? message : '');
}

// ---- rooms -------------------------------------------------------------------------------------------------

function csrfHeaders() {
  return app.csrf ? { [app.csrf.header_name]: app.csrf.token } : {};
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...csrfHeaders() },
    ...options,
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.code;
    throw error;
  }
  return body;
}

async function refreshRooms() {
  if (!app.user) {
    return;
  }
  try {
    const { rooms } = await api(`/api/rooms?user=${encodeURIComponent(app.user)}`);
    app.rooms = rooms;
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
function onRoomCounts(update) {
  if (typeof update.room_id !== 'string') {
    return;
  }
  if (update.removed) {
    app.roomCounts.delete(update.room_id);
  } else {
    app.roomCounts.set(update.room_id, { unread: Number(update.unread) || 0, mentions: Number(update.mentions) || 0 });
  }
  if (!app.rooms.some(room => room.id === update.room_id)) {
    refreshRoomsSoon();
  }
  renderRooms();
}

function forgetPushedCounts() {
  if (app.roomCounts.size > 0) {
    app.roomCounts.clear();
    renderRooms();
  }
}

let roomsRefreshSoon = null;

function refreshRoomsSoon() {
  clearTimeout(roomsRefreshSoon);
  roomsRefreshSoon = setTimeout(refreshRooms, 300);
}

function renderRooms() {
  const current = app.view?.roomId;
  const items = app.rooms.map(room => {
    const pushed = app.roomCounts.get(room.id);
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
  if (app.view) {
    renderPresence(app.view); // the list says which rooms the user owns, and so where "Remove" is offered
  }
  if (current && app.revealedRoom !== current) {
    const item = [...ui.roomList.children].find(li => li.dataset.roomId === current);
    if (item) {
      revealInList(ui.roomList, item);
      app.revealedRoom = current;
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
    if (!app.rooms.some(room => room.id === id)) {
      await api('/api/rooms', { method: 'POST', body: JSON.stringify({ id, user: app.user }) });
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
function openRoomFromHash() {
  if (!app.user) {
    return;
  }
  let roomId = decodeURIComponent(location.hash.slice(1));
  if (!roomId) {
    roomId = app.rooms[0]?.id ?? FIRST_ROOM;
    history.replaceState(null, '', `#${roomId}`);
  }
  if (!ROOM_PATTERN.test(roomId)) {
    closeRoom();
    ui.noRoom.textContent = `"${roomId}" is not a valid room name.`;
    return;
  }
  if (app.view?.roomId !== roomId) {
    openRoom(roomId);
  }
}

// ---- the open room -----------------------------------------------------------------------------------------

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
function closeRoom() {
  stopTyping();
  const client = app.client;
  app.client = null;
  if (app.view) {
    app.view.order.cancel();
    app.view.typing.forEach(timer => clearTimeout(timer));
    app.view.activityTimers.forEach(timer => clearTimeout(timer));
  }
  app.view = null;
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
function openRoom(roomId) {
  closeRoom();
  const view = newView(roomId);
  app.view = view;
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

function connect(view) {
  // README:js-connect:begin
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // Signed in with Spring Security (secure profile), the session cookie names the user and CONNECT carries the
  // page's CSRF token; otherwise the development login header names the user.
  const connectHeaders = app.csrf ? { [app.csrf.header_name]: app.csrf.token } : { login: app.user };
  const client = new StompJs.Client({
    brokerURL: `${scheme}://${location.host}/roomkit/ws`,
    connectHeaders,
    reconnectDelay: 1000,
    maxReconnectDelay: 8000,
    reconnectTimeMode: StompJs.ReconnectionTimeMode.EXPONENTIAL,
    connectionTimeout: 8000,
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
    debug: () => {},
  });
  // README:js-connect:end
  client.onConnect = () => {
    if (app.client === client) {
      onConnected(client, view);
    }
  };
  client.onWebSocketClose = () => {
    forgetPushedCounts(); // nothing is pushed while the connection is down: the polled counts are fresher
    if (app.client !== client) {
      return;
    }
    view.order.cancel();
    clearTypers(view);
    clearActivity(view);
    if (app.everConnected) {
      setConnection('lost', 'Connection lost. Reconnecting…');
    }
    renderOutbox();
  };
  client.onStompError = frame => {
    if (app.client !== client) {
      return;
    }
    const message = frame.headers.message || 'The server refused the connection';
    if (!client.connected && app.csrf) {
      client.deactivate();
      setConnection('offline', `The server refused the connection: ${message}`);
    } else if (!client.connected) {
      client.deactivate();
      signOut(`The server refused the sign-in: ${message}`);
    } else {
      showNotice(message);
    }
  };
  app.client = client;
  setConnection('connecting', 'Connecting…');
  client.activate();
}

function onConnected(client, view) {
  const wasLost = ui.connection.dataset.state === 'lost';
  app.everConnected = true;
  app.retryable = new Map();
  // README:js-subscribe:begin
  // the error queue first: a refused subscription is reported there
  client.subscribe('/user/queue/errors', message => onServerError(view, JSON.parse(message.body)));
  client.subscribe('/user/queue/rooms', message => onRoomCounts(JSON.parse(message.body)));
  subscribeRetrying(client, `/topic/rooms.${view.roomId}.events`, message => onLiveEvent(view, JSON.parse(message.body)),
    () => view.loaded && !view.catchingUp && catchUp(client, view)); // what was stored while it was refused
  subscribeRetrying(client, `/topic/rooms.${view.roomId}.ephemeral`,
    message => onEphemeral(view, JSON.parse(message.body)));
  // README:js-subscribe:end
  setConnection('online', wasLost ? 'Reconnected' : 'Connected');
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
function catchUp(client, view) {
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

/**
 * History is request/reply: SUBSCRIBE to /app/rooms.{id}.history answers once on that subscription. Replies
 * to the requests made on (re)connecting also carry who is here.
 */
// README:js-history:begin
function requestHistory(client, view, query, withPresence, onReply) {
  const destination = `/app/rooms.${view.roomId}.history${query}`;
  const request = subscribeRetrying(client, destination, message => {
    request.subscription.unsubscribe();
    forgetRetryable(request);
    if (app.view !== view) {
      return;
    }
    const reply = JSON.parse(message.body);
    if (withPresence) {
      setPresence(view, reply.presence || []);
    }
    onReply(reply);
  });
}
// README:js-history:end

// README:js-resubscribe:begin
/**
 * Subscribes, and subscribes again after a pause if the server refuses the subscription for a moment
 * (`unavailable`: its database did not answer in time, as on a node that just started with every client
 * reconnecting to it; or `rate_limited` with a `retry_after_ms`). The server holds nothing for a refused
 * SUBSCRIBE, so a client that did not make it again would never receive that destination's messages. The pause
 * doubles up to RESUBSCRIBE_MAX_MS, or is the refusal's `retry_after_ms`, for at most RESUBSCRIBE_ATTEMPTS
 * attempts; `onResubscribed` runs after each new attempt.
 */
function subscribeRetrying(client, destination, onMessage, onResubscribed = () => {}) {
  const entry = { client, destination, attempts: 0, subscription: null, onResubscribed };
  entry.open = () => {
    entry.subscription = client.subscribe(destination, onMessage);
  };
  app.retryable.set(destination, entry);
  entry.open();
  return entry;
}

function forgetRetryable(entry) {
  if (app.retryable.get(entry.destination) === entry) {
    app.retryable.delete(entry.destination);
  }
}

/** Schedules the subscription again if the error refused one for a moment; false when it is another error. */
function retryRefusedSubscription(error) {
  const entry = app.retryable.get(String(error.destination || ''));
  // rate_limited without retry_after_ms (too many subscriptions) will not pass by waiting
  const passes = error.code === 'unavailable'
    || (error.code === 'rate_limited' && typeof error.retry_after_ms === 'number');
  if (!entry || !passes || entry.attempts >= RESUBSCRIBE_ATTEMPTS) {
    return false;
  }
  entry.subscription?.unsubscribe(); // the server never held it: this only makes the client library forget it
  const pause = error.retry_after_ms ?? Math.min(RESUBSCRIBE_MAX_MS, RESUBSCRIBE_FIRST_MS * 2 ** entry.attempts);
  entry.attempts++;
  setTimeout(() => {
    if (app.client === entry.client && entry.client.connected && app.retryable.get(entry.destination) === entry) {
      entry.open();
      entry.onResubscribed();
    }
  }, pause);
  return true;
}
// README:js-resubscribe:end

function loadOlder() {
  const view = app.view;
  const client = app.client;
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
function onLiveEvent(view, event) {
  if (app.view === view) {
    view.order.offer(event);
  }
}

/** Asks for the events after `after` that did not arrive live (see ordering.js). */
function fetchMissed(view, after, done) {
  const client = app.client;
  if (app.view !== view || !client?.connected) {
    view.order.cancel(); // the reconnect's catch-up fetches them
    return;
  }
  requestHistory(client, view, `?after_index=${after}&limit=${CATCH_UP_PAGE}`, false, reply => {
    done(reply.events, reply.events.length < CATCH_UP_PAGE);
  });
}

function applyLiveEvent(view, event) {
  if (app.view !== view) {
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
      clearTimeout(view.typing.get(author));
      view.typing.delete(author);
      renderTyping(view);
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
  } else if (fresh && event.source?.participant_id !== app.user) {
    view.newBelow += 1;
    updateJumpButton();
  }
  markRead();
}

// ---- ephemeral events --------------------------------------------------------------------------------------

function onEphemeral(view, event) {
  if (app.view !== view) {
    return;
  }
  const user = event.user_id;
  const data = event.data || {};
  switch (event.type) {
    case 'typing_start':
      if (user !== app.user) {
        clearTimeout(view.typing.get(user));
        view.typing.set(user, setTimeout(() => {
          view.typing.delete(user);
          renderTyping(view);
        }, TYPING_EXPIRY_MS));
        renderTyping(view);
      }
      break;
    case 'typing_stop':
      clearTimeout(view.typing.get(user));
      view.typing.delete(user);
      renderTyping(view);
      break;
    case 'presence_online':
      view.presence.set(user, 'online');
      renderPresence(view);
      break;
    case 'presence_away':
      view.presence.set(user, 'away');
      renderPresence(view);
      break;
    case 'presence_offline':
      view.presence.delete(user);
      renderPresence(view);
      break;
    case 'custom':
      if (data.kind === 'presence_diff') {
        applyPresenceDiff(view, data);
      }
      else if (data.kind === 'ai_text_delta') {
        onAssistantActivity(view, event);
      }
      else if (typeof data.status === 'string' && view.presence.has(user)) {
        view.presence.set(user, data.status);
        renderPresence(view);
      }
      break;
    case 'reaction':
      applyReaction(view, user, data);
      break;
    case 'thinking_start':
    case 'thinking_delta':
    case 'thinking_end':
    case 'tool_call_start':
    case 'tool_call_end':
      onAssistantActivity(view, event);
      break;
    case 'read_receipt': {
      const entry = view.timeline.get(data.event_id);
      if (entry && user !== app.user && entry.index > (view.receipts.get(user) ?? -1)) {
        view.receipts.set(user, entry.index);
        renderReceipts(view);
      }
      break;
    }
    default:
      break;
  }
}

function onAssistantActivity(view, event) {
  const channelId = view.activity.apply(event);
  if (channelId === null) {
    return;
  }
  clearTimeout(view.activityTimers.get(channelId));
  view.activityTimers.set(channelId, setTimeout(() => {
    view.activityTimers.delete(channelId);
    if (view.activity.end(channelId)) {
      renderActivity(view);
    }
  }, ACTIVITY_EXPIRY_MS));
  const atBottom = isNearBottom();
  renderActivity(view);
  if (atBottom) {
    scrollToBottom();
  }
}

/** An assistant's reply (a message from its channel) ends what it was doing. */
function endActivityOnReply(view, event) {
  const channelId = event.source?.channel_id;
  if (event.type === 'message' && channelId && view.activity.end(channelId)) {
    clearTimeout(view.activityTimers.get(channelId));
    view.activityTimers.delete(channelId);
    renderActivity(view);
  }
}

function clearActivity(view) {
  view.activityTimers.forEach(timer => clearTimeout(timer));
  view.activityTimers.clear();
  view.activity.clear();
  renderActivity(view);
}

/**
 * One line per busy assistant. The status only changes when the activity does, so a screen reader hears
 * "Assistant is thinking…" once; the streamed reasoning beside it is for the eyes only.
 */
function renderActivity(view) {
  if (app.view !== view) {
    return;
  }
  const items = new Map([...ui.activity.children].map(item => [item.dataset.channelId, item]));
  for (const activity of view.activity.all()) {
    let item = items.get(activity.channelId);
    items.delete(activity.channelId);
    if (!item) {
      item = el('li', { class: 'activity-item', dataset: { channelId: activity.channelId } },
        el('span', { class: 'dots', 'aria-hidden': 'true' }, el('span'), el('span'), el('span')),
        el('span', { class: 'activity-status' }),
        el('span', { class: 'thinking-preview', 'aria-hidden': 'true' }),
        el('p', { class: 'draft', 'aria-hidden': 'true' }));
      ui.activity.append(item);
    }
    item.dataset.state = activity.state;
    const status = item.querySelector('.activity-status');
    const text = describeActivity(activity);
    if (status.textContent !== text) {
      status.textContent = text;
    }
    const preview = item.querySelector('.thinking-preview');
    preview.textContent = activity.state === 'thinking' ? thinkingPreview(activity.thinking) : '';
    // the growing answer, for the eyes only: a screen reader hears the stored message once it arrives
    const draft = item.querySelector('.draft');
    const written = activity.state === 'writing' ? activity.draft ?? '' : '';
    if (draft.textContent !== written) {
      draft.textContent = written;
    }
    draft.hidden = written === '';
  }
  items.forEach(item => item.remove());
  renderOutbox();
}

function clearTypers(view) {
  view.typing.forEach(timer => clearTimeout(timer));
  view.typing.clear();
  renderTyping(view);
}

function renderTyping(view) {
  ui.typing.textContent = describeTypers([...view.typing.keys()]);
}

function setPresence(view, snapshot) {
  view.presence.clear();
  for (const person of snapshot) {
    view.presence.set(person.user_id, person.status || 'online');
  }
  renderPresence(view);
}

// Rooms above roomkit.presence.coalesce-above announce arrivals and departures as one diff per window; applied
// in order over the history reply's snapshot, the list converges to who is online.
function applyPresenceDiff(view, diff) {
  for (const person of diff.online || []) {
    view.presence.set(person.user_id, person.status || 'online');
  }
  for (const user of diff.offline || []) {
    view.presence.delete(user);
  }
  renderPresence(view);
}

function renderPresence(view) {
  const people = [...view.presence.entries()].sort(([a], [b]) => a.localeCompare(b));
  ui.presenceCount.textContent = `(${people.length})`;
  ui.presenceList.replaceChildren(...people.map(([user, status]) => el('li',
    { class: `person status-${status === 'online' || status === 'away' ? status : 'custom'}`,
      dataset: { userId: user } },
    el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'person-name' }, user),
    user === app.user ? el('span', { class: 'you' }, ' (you)') : null,
    status !== 'online' ? el('span', { class: 'person-status' }, ` — ${status}`) : null,
    ownsRoom(view) && user !== app.user ? removeButton(view, user) : null)));
}

/** Whether the signed-in user owns the open room, as the room list says. */
function ownsRoom(view) {
  return app.rooms.some(room => room.id === view.roomId && room.role === 'owner');
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

/**
 * A page of history says what the server stores: per emoji a count and the first users. Live `reaction` events
 * then change it; the server publishes one only when something changed, so each add or remove counts once.
 */
function seedReactions(view, event) {
  if (event.type !== 'message') {
    return;
  }
  const byEmoji = new Map();
  for (const [emoji, summary] of Object.entries(event.reactions ?? {})) {
    byEmoji.set(emoji, { count: Number(summary.count) || 0, users: new Set(summary.users ?? []) });
  }
  view.reactions.set(event.id, byEmoji);
}

function applyReaction(view, user, data) {
  const target = data.target_event_id;
  const emoji = data.emoji;
  if (typeof target !== 'string' || typeof emoji !== 'string') {
    return;
  }
  const byEmoji = view.reactions.get(target) ?? new Map();
  const reaction = byEmoji.get(emoji) ?? { count: 0, users: new Set() };
  if (data.action === 'remove') {
    // a user beyond the first ones the server named is counted but not known by name
    if (reaction.users.delete(user) || reaction.count > reaction.users.size) {
      reaction.count -= 1;
    }
  } else if (!reaction.users.has(user)) {
    reaction.users.add(user);
    reaction.count += 1;
  }
  if (reaction.count > 0) {
    byEmoji.set(emoji, reaction);
  } else {
    byEmoji.delete(emoji);
  }
  view.reactions.set(target, byEmoji);
  const li = view.elements.get(target);
  if (li) {
    renderReactions(view, target, li.querySelector('.reactions'));
  }
}

// ---- rendering messages ------------------------------------------------------------------------------------

function renderEntry(view, entry) {
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

const GROUP_GAP_MS = 5 * 60 * 1000;
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
let regroupQueued = false;

/** Groups and day separators depend on neighbours: worked out once after a batch of renders. */
function regroupSoon() {
  if (!regroupQueued) {
    regroupQueued = true;
    queueMicrotask(() => {
      regroupQueued = false;
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
    const entry = app.view?.timeline.get(li.dataset.eventId);
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
  const own = entry.author === app.user;
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

function messageActions(view, entry, li, own) {
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

// ---- threads ------------------------------------------------------------------------------------------------

/** Opens a thread in the side panel: its root, and its replies from the server (newest page). */
function openThread(view, rootId) {
  const client = app.client;
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

function closeThread() {
  if (app.view) {
    app.view.thread = null;
  }
  ui.chatView.classList.remove('thread-open');
  ui.threadPanel.hidden = true;
  ui.peoplePanel.hidden = false;
}

function renderThread(view) {
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
  const view = app.view;
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

function renderReactions(view, eventId, container) {
  if (!container) {
    return;
  }
  const byEmoji = view.reactions.get(eventId) ?? new Map();
  const entry = view.timeline.get(eventId);
  const chips = [];
  if (entry && !entry.deleted) {
    for (const [emoji, { count, users }] of byEmoji) {
      const names = [...users].sort((a, b) => a.localeCompare(b));
      const others = count - names.length;
      const who = others > 0 ? `${listNames(names)} and ${others} more` : listNames(names);
      const mine = users.has(app.user);
      chips.push(el('button', {
        type: 'button', class: 'chip', 'aria-pressed': String(mine),
        title: `Reacted with ${emoji}: ${who}`,
        'aria-label': `${emoji} ${count}: ${who}`,
        dataset: { emoji, users: names.join(','), count: String(count) },
        onclick: () => sendReaction(view, eventId, emoji),
      }, el('span', { class: 'emoji', 'aria-hidden': 'true' }, emoji),
      el('span', { class: 'count', 'aria-hidden': 'true' }, String(count))));
    }
  }
  container.replaceChildren(...chips);
  container.hidden = chips.length === 0;
}

/** "Seen by" goes under the newest message of someone else that each other user has read. */
function renderReceipts(view) {
  const messages = view.timeline.sorted().filter(entry => entry.type === 'message');
  const seenBy = new Map();
  for (const [user, index] of view.receipts) {
    if (user === app.user) {
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

async function loadReadMarkers(view) {
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

// ---- editing, deleting, reacting ---------------------------------------------------------------------------

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

async function toggleEditHistory(view, entry, button, container) {
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

function sendReaction(view, eventId, emoji) {
  const mine = view.reactions.get(eventId)?.get(emoji)?.users.has(app.user);
  publish(`/app/rooms.${view.roomId}.reactions`, { target_event_id: eventId, emoji, action: mine ? 'remove' : 'add' });
}

// README:js-publish:begin
function publish(destination, payload) {
  if (!app.client?.connected) {
    showNotice('Not connected; try again once the connection is back.');
    return false;
  }
  app.client.publish({ destination, body: JSON.stringify(payload) });
  return true;
}
// README:js-publish:end

function onServerError(view, error) {
  if (retryRefusedSubscription(error)) {
    return;
  }
  const destination = String(error.destination || '');
  if (destination === `/topic/rooms.${view.roomId}.events`
      && (error.code === 'not_authorized' || error.code === 'banned')) {
    // the server ended this subscription: the user was removed or banned
    showNotice(error.code === 'banned' ? 'You were banned from this room.'
      : 'You were removed from this room. Open it again to rejoin, if it is open to you.');
    return;
  }
  if (destination === `/topic/rooms.${view.roomId}.ephemeral`) {
    return; // the same news as for the events topic
  }
  if (destination.endsWith('.messages')) {
    const pending = app.outbox.find(item => item.roomId === view.roomId && !item.failed && item.sent);
    if (pending) {
      pending.failed = error.message || error.code;
      renderOutbox();
      return;
    }
  }
  showNotice(error.message || error.code || 'The server refused that.');
}

function hideNotice() {
  clearTimeout(app.noticeTimer);
  ui.notice.textContent = '';
}

function showNotice(text) {
  ui.notice.textContent = text;
  clearTimeout(app.noticeTimer);
  app.noticeTimer = setTimeout(() => {
    ui.notice.textContent = '';
  }, NOTICE_MS);
}

// ---- sending -----------------------------------------------------------------------------------------------

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
  const view = app.view;
  const text = ui.composerInput.value.trim();
  if (!view || !text) {
    return;
  }
  ui.composerInput.value = '';
  ui.mentionSuggestions.hidden = true;
  stopTyping();
  app.outbox.push({
    key: crypto.randomUUID(), roomId: view.roomId, text, mentions: mentionsIn(text), sent: false, failed: null,
  });
  flushOutbox(app.client);
  renderOutbox();
  scrollToBottom();
}

/** Sends what is waiting; a resend after a reconnect is harmless, the idempotency key makes it count once. */
function flushOutbox(client) {
  if (!client?.connected || client !== app.client || app.view?.catchingUp) {
    return;
  }
  for (const item of app.outbox) {
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
  app.outbox = app.outbox.filter(item => item.roomId === app.view?.roomId || item.failed);
}

function resolveOutbox(event) {
  if (event.idempotency_key && app.outbox.some(item => item.key === event.idempotency_key)) {
    app.outbox = app.outbox.filter(item => item.key !== event.idempotency_key);
  }
}

function renderOutbox() {
  const view = app.view;
  const connected = app.client?.connected;
  const items = app.outbox.filter(item => item.roomId === view?.roomId).map(item => el('li',
    { class: `message own pending${item.failed ? ' failed' : ''}`, dataset: { key: item.key } },
    el('div', { class: 'message-head' }, el('span', { class: 'author' }, `${app.user} (you)`)),
    el('p', { class: 'body' }, item.text),
    el('p', { class: 'pending-status' }, item.failed ? `Not sent: ${item.failed} ` : pendingStatus(item, connected),
    item.failed ? el('button', { type: 'button', class: 'link', onclick: () => {
      app.outbox = app.outbox.filter(other => other !== item);
      renderOutbox();
    } }, 'Dismiss') : null)));
  ui.outbox.replaceChildren(...items);
}

/** While an assistant answers, the room's deliveries wait for it: a sent message shows up with the reply. */
function pendingStatus(item, connected) {
  if (!connected) {
    return 'Waiting for the connection…';
  }
  return item.sent && app.view && !app.view.activity.isEmpty ? 'Sent · waiting for the assistant…' : 'Sending…';
}

// ---- mentions ---------------------------------------------------------------------------------------------

const MENTION = /(^|\s)@([\p{L}\p{N}_.-]*[\p{L}\p{N}_-])/gu;

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
  people.delete(app.user);
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

function onComposerInput() {
  const view = app.view;
  if (view) {
    suggestMentions(view);
  }
  if (!view || !app.client?.connected) {
    return;
  }
  if (!ui.composerInput.value.trim()) {
    stopTyping();
    return;
  }
  const now = Date.now();
  if (now - app.typingSentAt > TYPING_RENEW_MS) {
    app.typingSentAt = now;
    publish(`/app/rooms.${view.roomId}.typing`, { typing: true });
  }
  clearTimeout(app.typingIdleTimer);
  app.typingIdleTimer = setTimeout(() => stopTyping(), TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(app.typingIdleTimer);
  if (app.typingSentAt && app.view && app.client?.connected) {
    publish(`/app/rooms.${app.view.roomId}.typing`, { typing: false });
  }
  app.typingSentAt = 0;
}

// ---- scrolling and reading ---------------------------------------------------------------------------------

function isNearBottom() {
  const t = ui.timeline;
  return t.scrollHeight - t.scrollTop - t.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToBottom() {
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
function markRead() {
  const view = app.view;
  if (!view || !view.loaded || !app.client?.connected || document.visibilityState !== 'visible' || !isNearBottom()) {
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

function updateJumpButton() {
  const count = app.view?.newBelow ?? 0;
  ui.jumpNew.hidden = count === 0;
  ui.jumpNew.textContent = count === 1 ? '1 new message ↓' : `${count} new messages ↓`;
}

function updateHistoryControls() {
  const view = app.view;
  const older = Boolean(view?.loaded && view.timeline.hasOlder);
  ui.loadOlder.hidden = !older;
  ui.loadOlder.disabled = Boolean(view?.loadingOlder);
  ui.loadOlder.textContent = view?.loadingOlder ? 'Loading older messages…' : 'Load older messages';
  ui.historyStart.hidden = !(view?.loaded && !view.timeline.hasOlder);
}

// ---- connection status -------------------------------------------------------------------------------------

function setConnection(state, text) {
  document.body.dataset.connection = state;
  ui.connection.dataset.state = state;
  ui.connection.textContent = text;
  ui.composer.classList.toggle('offline', state === 'lost');
}

start();
