// The RoomKit sample chat, the page's entry module: one STOMP connection for the open room (see the README's
// "The STOMP protocol"), a little REST for the room list, room creation, edit history and read markers. This
// module only wires the page up; each concern is a module of its own, and all mutable state is in state.js:
//   session.js         signing in and out
//   rooms.js           the room list, its badges, and which room the address opens
//   open-room.js       opening and leaving a room (the view object of the open room)
//   connection.js      the STOMP client: subscriptions, resubscribing, history requests, publishing, errors
//   ephemeral.js       routing typing, presence, reaction, receipt and assistant events
//   timeline.js        history pages, live events in index order, scrolling and the read marker
//   messages.js        how messages look; message-actions.js, reactions.js, receipts.js, threads.js around them
//   composer.js        the send box, mentions and typing frames; outbox.js what is sent but not stored yet
//   presence.js        who is here and who is typing
//   assistant.js       what the AI assistants are doing
// Below them: ui.js (the page's fixed elements), api.js (REST), notice.js (the notice bar), dom.js (DOM helpers),
// and the models, which touch no DOM: timeline-model.js, ordering.js, assistant-activity.js.
// Some modules import each other (the connection delivers events to the timeline, which asks the connection for
// history): that is safe because no module calls an import while it loads, only from functions run later.
import { initComposer } from './composer.js';
import { initRooms, refreshRooms } from './rooms.js';
import { initSession, restoreSession } from './session.js';
import { initThreads } from './threads.js';
import { initTimeline, markRead } from './timeline.js';

function start() {
  initSession();
  initRooms();
  initComposer();
  initThreads();
  initTimeline();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      markRead();
      refreshRooms();
    }
  });
  window.addEventListener('focus', () => markRead());
  restoreSession();
}

start();
