// What the room's AI assistants are doing right now, from their THINKING_* and TOOL_CALL_* ephemeral events and
// their ai_text_delta custom events: thinking (with the reasoning streamed so far), using tools, or writing the
// reply (with the text written so far). An assistant's activity
// starts with thinking_start or tool_call_start and ends when its reply (a persisted message) arrives; the other
// events only move an activity that is under way, so that a late one never brings back a finished activity.

import { listNames } from './dom.js';

const PREVIEW_CHARS = 160;
const LATE_DELTA_MS = 5000;

export class AssistantActivity {
  constructor() {
    this.byChannel = new Map();
    this.endedAt = new Map(); // channel id -> when its last activity ended
  }

  get isEmpty() {
    return this.byChannel.size === 0;
  }

  /**
   * Current activities, oldest first: {channelId, state: 'thinking'|'tool'|'writing', tools, thinking, draft},
   * `draft` being the reply streamed so far.
   */
  all() {
    return [...this.byChannel.values()];
  }

  /** Takes an ephemeral event; returns the channel id whose activity changed, or null. */
  apply(event) {
    const data = event.data || {};
    const channelId = typeof data.channel_id === 'string' ? data.channel_id : event.user_id;
    if (typeof channelId !== 'string' || !channelId) {
      return null;
    }
    const current = this.byChannel.get(channelId);
    switch (event.type) {
      case 'thinking_start':
        this.byChannel.set(channelId, { channelId, state: 'thinking', tools: [], thinking: '' });
        return channelId;
      case 'thinking_delta':
        if (current?.state !== 'thinking' || typeof data.thinking !== 'string') {
          return null;
        }
        current.thinking += data.thinking;
        return channelId;
      case 'thinking_end':
        // still thinking until it writes (ai_text_delta) or calls a tool: no "writing" in between
        if (current?.state !== 'thinking') {
          return null;
        }
        current.thinking = '';
        return channelId;
      case 'tool_call_start': {
        const calls = Array.isArray(data.tool_calls) ? data.tool_calls : [];
        const tools = calls.map(call => String(call?.name ?? '')).filter(Boolean);
        this.byChannel.set(channelId, { channelId, state: 'tool', tools, thinking: '' });
        return channelId;
      }
      case 'tool_call_end':
        // it reads the results next, and then writes or calls again
        if (current?.state !== 'tool') {
          return null;
        }
        current.state = 'thinking';
        current.tools = [];
        return channelId;
      case 'custom': {
        // the reply as it is written (ai_text_delta): the answer grows until the stored message replaces it
        if (data.kind !== 'ai_text_delta' || typeof data.text !== 'string') {
          return null;
        }
        // the last piece of a reply may come after the stored reply (another topic): it must not bring it back
        if (!current && Date.now() - (this.endedAt.get(channelId) ?? 0) < LATE_DELTA_MS) {
          return null;
        }
        const writing = current ?? { channelId, state: 'writing', tools: [], thinking: '', draft: '' };
        writing.state = 'writing';
        writing.thinking = '';
        writing.draft = (writing.draft ?? '') + data.text;
        this.byChannel.set(channelId, writing);
        return channelId;
      }
      default:
        return null;
    }
  }

  /** Ends the channel's activity (its reply arrived, or it went quiet); returns whether there was one. */
  end(channelId) {
    this.endedAt.set(channelId, Date.now());
    return this.byChannel.delete(channelId);
  }

  clear() {
    this.byChannel.clear();
  }
}

/** "Assistant is thinking…", "Using tool weather…", "Using tools weather and clock…", "Assistant is writing…". */
export function describeActivity(activity) {
  const name = displayName(activity.channelId);
  switch (activity.state) {
    case 'thinking':
      return `${name} is thinking…`;
    case 'tool':
      if (activity.tools.length === 0) {
        return `${name} is using a tool…`;
      }
      return `Using ${activity.tools.length === 1 ? 'tool' : 'tools'} ${listNames(activity.tools)}…`;
    default:
      return `${name} is writing…`;
  }
}

/** The end of the reasoning streamed so far, short enough for one or two lines. */
export function thinkingPreview(thinking) {
  const text = thinking.replace(/\s+/g, ' ').trim();
  if (text.length <= PREVIEW_CHARS) {
    return text;
  }
  const tail = text.slice(text.length - PREVIEW_CHARS + 1);
  const wordStart = tail.indexOf(' ');
  return `…${wordStart >= 0 && wordStart < 20 ? tail.slice(wordStart + 1) : tail}`;
}

/** The channel id as the subject of a sentence: "assistant" becomes "Assistant". */
function displayName(channelId) {
  return channelId.charAt(0).toUpperCase() + channelId.slice(1);
}
