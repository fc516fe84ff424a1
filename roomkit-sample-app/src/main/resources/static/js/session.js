// Owns signing in and out: the sign-in form, the name kept per tab, the Spring Security session of the secure
// profile, and switching between the sign-in view and the chat view.
import { api, csrfHeaders } from './api.js';
import { setConnection } from './connection.js';
import { closeRoom } from './open-room.js';
import { renderOutbox } from './outbox.js';
import { openRoomFromHash, refreshRooms } from './rooms.js';
import { state } from './state.js';
import { ui } from './ui.js';

const NAME_PATTERN = /^[\p{L}\p{N}_.@-]{1,64}$/u;
const ROOMS_REFRESH_MS = 5000; // rooms others create; the counts of the user's own rooms are pushed
// Per tab, so that a second window can sign in as someone else; a reload keeps the name.
const USER_KEY = 'roomkit.sample.user';

export function initSession() {
  ui.signInForm.addEventListener('submit', onSignIn);
  ui.signOut.addEventListener('click', signOut);
}

/** Signs in as the server's session says (secure profile), else as the name this tab used, else asks for one. */
export function restoreSession() {
  loadSession().then(session => {
    if (session.user) {
      // signed in with Spring Security (secure profile): the server says who we are
      state.csrf = session.csrf;
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
  state.user = name;
  ui.me.textContent = name;
  ui.whoami.hidden = false;
  ui.signInView.hidden = true;
  ui.chatView.hidden = false;
  ui.nameError.textContent = '';
  clearInterval(state.roomsTimer);
  state.roomsTimer = setInterval(() => {
    if (document.visibilityState === 'visible') {
      refreshRooms();
    }
  }, ROOMS_REFRESH_MS);
  refreshRooms().then(() => openRoomFromHash());
}

/** Signs out; `message` (when it is a string, not the click event) says why, on the sign-in form. */
export function signOut(message = '') {
  if (state.csrf) {
    // a Spring Security session ends with a POST to /logout, which needs the CSRF token like any POST
    fetch('/logout', { method: 'POST', headers: csrfHeaders() }).finally(() => location.assign('/login?logout'));
    return;
  }
  sessionStorage.removeItem(USER_KEY);
  clearInterval(state.roomsTimer);
  closeRoom();
  state.user = null;
  state.outbox = [];
  renderOutbox();
  history.replaceState(null, '', location.pathname);
  showSignIn(typeof message === 'string' ? message : '');
}
