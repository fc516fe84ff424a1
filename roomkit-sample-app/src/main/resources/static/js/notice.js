// Owns the notice bar under the open room (#room-notice): one short message at a time, gone after a while.
import { state } from './state.js';
import { ui } from './ui.js';

const NOTICE_MS = 8000;

export function hideNotice() {
  clearTimeout(state.noticeTimer);
  ui.notice.textContent = '';
}

export function showNotice(text) {
  ui.notice.textContent = text;
  clearTimeout(state.noticeTimer);
  state.noticeTimer = setTimeout(() => {
    ui.notice.textContent = '';
  }, NOTICE_MS);
}
