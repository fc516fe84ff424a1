// Owns what the page shows of the room's AI assistants at work (#assistant-activity): one line per busy
// assistant, thinking (with its reasoning so far), using tools, or writing (with the answer streamed so far),
// until its stored reply arrives or it goes quiet. The states themselves are worked out by assistant-activity.js.
import { describeActivity, thinkingPreview } from './assistant-activity.js';
import { el } from './dom.js';
import { renderOutbox } from './outbox.js';
import { state } from './state.js';
import { isNearBottom, scrollToBottom } from './timeline.js';
import { ui } from './ui.js';

// An assistant that neither replies nor sends another event for this long is no longer shown as busy.
const ACTIVITY_EXPIRY_MS = 30000;

/** A thinking, tool call or ai_text_delta event of an assistant. */
export function onAssistantActivity(view, event) {
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
export function endActivityOnReply(view, event) {
  const channelId = event.source?.channel_id;
  if (event.type === 'message' && channelId && view.activity.end(channelId)) {
    clearTimeout(view.activityTimers.get(channelId));
    view.activityTimers.delete(channelId);
    renderActivity(view);
  }
}

export function clearActivity(view) {
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
  if (state.view !== view) {
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
  renderOutbox(); // a pending message says whether it waits for an assistant
}
