// Owns the STOMP connection of the open room (see the README's "The STOMP protocol"): connecting and
// reconnecting, the subscriptions and subscribing again when the server refuses one for a moment, history
// requests, publishing, the errors the server reports on /user/queue/errors, and the connection status line.
// The STOMP library is the WebJar's UMD bundle, loaded by index.html as a classic script that sets
// window.StompJs.
import { clearActivity } from './assistant.js';
import { onEphemeral } from './ephemeral.js';
import { showNotice } from './notice.js';
import { renderOutbox } from './outbox.js';
import { clearTypers, setPresence } from './presence.js';
import { forgetPushedCounts, onRoomCounts } from './rooms.js';
import { signOut } from './session.js';
import { state } from './state.js';
import { catchUp, onLiveEvent, syncTimeline } from './timeline.js';
import { ui } from './ui.js';

const RESUBSCRIBE_FIRST_MS = 250;
const RESUBSCRIBE_MAX_MS = 5000;
const RESUBSCRIBE_ATTEMPTS = 10; // about half a minute of pauses; then the refusal is shown

export function setConnection(connectionState, text) {
  document.body.dataset.connection = connectionState;
  ui.connection.dataset.state = connectionState;
  ui.connection.textContent = text;
  ui.composer.classList.toggle('offline', connectionState === 'lost');
}

export function connect(view) {
  // README:js-connect:begin
  const StompJs = window.StompJs; // set by the WebJar's bundle, a classic script that index.html loads first
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // Signed in with Spring Security (secure profile), the session cookie names the user and CONNECT carries the
  // page's CSRF token; otherwise the development login header names the user.
  const connectHeaders = state.csrf ? { [state.csrf.header_name]: state.csrf.token } : { login: state.user };
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
    if (state.client === client) {
      onConnected(client, view);
    }
  };
  client.onWebSocketClose = () => {
    forgetPushedCounts(); // nothing is pushed while the connection is down: the polled counts are fresher
    if (state.client !== client) {
      return;
    }
    view.order.cancel();
    clearTypers(view);
    clearActivity(view);
    if (state.everConnected) {
      setConnection('lost', 'Connection lost. Reconnecting…');
    }
    renderOutbox();
  };
  client.onStompError = frame => {
    if (state.client !== client) {
      return;
    }
    const message = frame.headers.message || 'The server refused the connection';
    if (!client.connected && state.csrf) {
      client.deactivate();
      setConnection('offline', `The server refused the connection: ${message}`);
    } else if (!client.connected) {
      client.deactivate();
      signOut(`The server refused the sign-in: ${message}`);
    } else {
      showNotice(message);
    }
  };
  state.client = client;
  setConnection('connecting', 'Connecting…');
  client.activate();
}

function onConnected(client, view) {
  const wasLost = ui.connection.dataset.state === 'lost';
  state.everConnected = true;
  state.retryable = new Map();
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
  syncTimeline(client, view);
}

/**
 * History is request/reply: SUBSCRIBE to /app/rooms.{id}.history answers once on that subscription. Replies
 * to the requests made on (re)connecting also carry who is here.
 */
// README:js-history:begin
export function requestHistory(client, view, query, withPresence, onReply) {
  const destination = `/app/rooms.${view.roomId}.history${query}`;
  const request = subscribeRetrying(client, destination, message => {
    request.subscription.unsubscribe();
    forgetRetryable(request);
    if (state.view !== view) {
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
  state.retryable.set(destination, entry);
  entry.open();
  return entry;
}

function forgetRetryable(entry) {
  if (state.retryable.get(entry.destination) === entry) {
    state.retryable.delete(entry.destination);
  }
}

/** Schedules the subscription again if the error refused one for a moment; false when it is another error. */
function retryRefusedSubscription(error) {
  const entry = state.retryable.get(String(error.destination || ''));
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
    if (state.client === entry.client && entry.client.connected && state.retryable.get(entry.destination) === entry) {
      entry.open();
      entry.onResubscribed();
    }
  }, pause);
  return true;
}
// README:js-resubscribe:end

// README:js-publish:begin
export function publish(destination, payload) {
  if (!state.client?.connected) {
    showNotice('Not connected; try again once the connection is back.');
    return false;
  }
  state.client.publish({ destination, body: JSON.stringify(payload) });
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
    const pending = state.outbox.find(item => item.roomId === view.roomId && !item.failed && item.sent);
    if (pending) {
      pending.failed = error.message || error.code;
      renderOutbox();
      return;
    }
  }
  showNotice(error.message || error.code || 'The server refused that.');
}
