// Owns the reactions of the open room's messages (view.reactions): seeded from history pages, changed by live
// `reaction` events, drawn as chips under each message, and toggled by the user.
import { publish } from './connection.js';
import { el, listNames } from './dom.js';
import { state } from './state.js';

/**
 * A page of history says what the server stores: per emoji a count and the first users. Live `reaction` events
 * then change it; the server publishes one only when something changed, so each add or remove counts once.
 */
export function seedReactions(view, event) {
  if (event.type !== 'message') {
    return;
  }
  const byEmoji = new Map();
  for (const [emoji, summary] of Object.entries(event.reactions ?? {})) {
    byEmoji.set(emoji, { count: Number(summary.count) || 0, users: new Set(summary.users ?? []) });
  }
  view.reactions.set(event.id, byEmoji);
}

export function applyReaction(view, user, data) {
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

export function renderReactions(view, eventId, container) {
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
      const mine = users.has(state.user);
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

/** Adds the user's reaction, or removes it when the user already reacted with that emoji. */
export function sendReaction(view, eventId, emoji) {
  const mine = view.reactions.get(eventId)?.get(emoji)?.users.has(state.user);
  publish(`/app/rooms.${view.roomId}.reactions`, { target_event_id: eventId, emoji, action: mine ? 'remove' : 'add' });
}
