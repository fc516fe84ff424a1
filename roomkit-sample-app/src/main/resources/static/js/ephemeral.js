// Owns the routing of the open room's ephemeral events (/topic/rooms.{id}.ephemeral): each type goes to the
// module that keeps its state (typing and presence, reactions, read receipts, the assistants' activity).
import { onAssistantActivity } from './assistant.js';
import { applyPresenceDiff, onTypingStart, onTypingStop, removePerson, setStatus } from './presence.js';
import { applyReaction } from './reactions.js';
import { onReadReceipt } from './receipts.js';
import { state } from './state.js';

export function onEphemeral(view, event) {
  if (state.view !== view) {
    return;
  }
  const user = event.user_id;
  const data = event.data || {};
  switch (event.type) {
    case 'typing_start':
      onTypingStart(view, user);
      break;
    case 'typing_stop':
      onTypingStop(view, user);
      break;
    case 'presence_online':
      setStatus(view, user, 'online');
      break;
    case 'presence_away':
      setStatus(view, user, 'away');
      break;
    case 'presence_offline':
      removePerson(view, user);
      break;
    case 'custom':
      if (data.kind === 'presence_diff') {
        applyPresenceDiff(view, data);
      } else if (data.kind === 'ai_text_delta') {
        onAssistantActivity(view, event);
      } else if (typeof data.status === 'string' && view.presence.has(user)) {
        setStatus(view, user, data.status); // a custom status of someone who is here
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
    case 'read_receipt':
      onReadReceipt(view, user, data);
      break;
    default:
      break;
  }
}
