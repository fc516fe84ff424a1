// Owns all mutable state of the page, in one object: who is signed in, the STOMP client, the room list, the open
// room's view (see newView in open-room.js), the outbox and the timers that must be cancelled. The other modules
// keep constants only, so that what the page knows at any moment is in one place.

export const state = {
  user: null,
  // {header_name, token} when Spring Security signed the user in (the secure profile)
  csrf: null,
  client: null,
  everConnected: false,
  rooms: [],
  // room id -> the newest {unread, mentions} the server pushed on /user/queue/rooms (rooms the user belongs to)
  roomCounts: new Map(),
  // the open room, or null
  view: null,
  // messages typed but not yet seen stored: {key, roomId, text, mentions, sent, failed}
  outbox: [],
  roomsTimer: null,
  // a room list refresh asked for shortly (several reasons in a row make one request)
  roomsRefreshTimer: null,
  noticeTimer: null,
  revealedRoom: null,
  typingSentAt: 0,
  typingIdleTimer: null,
  // whether the message groups and day separators are to be worked out again after the current batch of renders
  regroupQueued: false,
  // destination -> subscription that is made again if the server refuses it for a moment
  retryable: new Map(),
};
