package io.roomkit;

import io.roomkit.channel.Channel;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.concurrent.ElasticExecutor;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookEngine;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelAccess;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelType;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventType;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.InboundResult;
import io.roomkit.model.Participant;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.ParticipantStatus;
import io.roomkit.model.Reaction;
import io.roomkit.model.Room;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomIds;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.SystemContent;
import io.roomkit.pipeline.ChannelRegistry;
import io.roomkit.pipeline.InboundObserver;
import io.roomkit.pipeline.InboundPipeline;
import io.roomkit.pipeline.ModeratorCheck;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.realtime.EphemeralListener;
import io.roomkit.realtime.InMemoryRealtime;
import io.roomkit.realtime.RealtimeBackend;
import io.roomkit.store.ConversationStore;
import io.roomkit.store.EventSummaries;
import io.roomkit.store.InMemoryConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The RoomKit facade: rooms, participants and channels; persistent events through {@link #processInbound};
 * durable read state; and ephemeral events through the {@code publish*} helpers and {@link #subscribeRoom}.
 * <p>
 * Thread-safe and synchronous: a call returns when its work is done ({@code publish*} when the event is handed
 * to the realtime backend, {@code processInbound} when the event is stored and broadcast). Subscriptions are
 * delivered asynchronously. Failures are {@link RoomKitException}s with a stable {@link RoomKitException#code()}.
 */
public class RoomKit implements AutoCloseable {

    /** Most rooms {@link #roomsOf} returns. */
    public static final int MAX_ROOMS_OF = 1000;

    private static final Logger log = LoggerFactory.getLogger(RoomKit.class);

    /** Default maximum number of AI hops in a chain of answers. */
    public static final int DEFAULT_MAX_CHAIN_DEPTH = 5;

    /** Default time a channel or hook may take one event before the room goes on without it. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMillis(250);

    /**
     * The realtime channel on which the kit announces membership changes (removals, bans, departures), so that
     * every node can end the subscriptions of users who lost access. Events on it are {@code custom} events of
     * the room whose {@code data} is {@code {kind: "membership", action, user_id}}.
     */
    public static final String MEMBERSHIP_CHANNEL = "membership";

    /** The source channel of the SYSTEM events the kit stores itself (membership changes). */
    public static final String SYSTEM_CHANNEL_ID = "roomkit-system";

    /** Default number of AI answers produced at the same time. */
    public static final int DEFAULT_INTELLIGENCE_THREADS = 8;

    /** AI answers that may wait for a thread; beyond this new questions are not answered (and logged). */
    static final int INTELLIGENCE_QUEUE_CAPACITY = 1_000;

    /** How long {@link #close()} lets deliveries and AI answers in flight finish. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final ConversationStore store;
    private final RealtimeBackend realtime;
    private final ChannelRegistry channels = new ChannelRegistry();
    private final HookEngine hooks = new HookEngine();
    private final InboundPipeline pipeline;
    private final List<InboundObserver> observers;
    private final ElasticExecutor deliveries;
    private final ThreadPoolExecutor intelligence;
    private final ModeratorCheck moderatorCheck;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A kit with an {@link InMemoryConversationStore} and an {@link InMemoryRealtime}. */
    public RoomKit() {
        this(builder());
    }

    private RoomKit(Builder builder) {
        this.store = builder.store != null ? builder.store : new InMemoryConversationStore();
        this.realtime = builder.realtime != null ? builder.realtime : new InMemoryRealtime();
        this.deliveries = new ElasticExecutor("roomkit-delivery");
        this.intelligence = new ThreadPoolExecutor(builder.intelligenceThreads, builder.intelligenceThreads, 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(INTELLIGENCE_QUEUE_CAPACITY), DaemonThreads.named("roomkit-ai-"));
        this.intelligence.allowCoreThreadTimeOut(true);
        this.pipeline = new InboundPipeline(store, channels, hooks, builder.moderatorCheck, builder.maxChainDepth,
                deliveries, intelligence, builder.stallTimeout);
        this.observers = List.copyOf(builder.observers);
        this.moderatorCheck = builder.moderatorCheck;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- rooms -------------------------------------------------------------------------------------

    /** Creates an active room; {@code room_exists} if the id is taken, {@code invalid_room_id} if malformed. */
    public Room createRoom(String roomId) {
        return store.createRoom(Room.create(RoomIds.requireValid(roomId)));
    }

    /** Creates an active room with a random id. */
    public Room createRoom() {
        return createRoom(RoomIds.random());
    }

    public Optional<Room> getRoom(String roomId) {
        return roomId == null ? Optional.empty() : store.getRoom(roomId);
    }

    /** Rooms in creation order. */
    public List<Room> listRooms(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw InvalidInputException.argument("offset must be >= 0 and limit >= 1");
        }
        return store.listRooms(offset, limit);
    }

    /** Closes the room: it keeps its history and refuses new events ({@code room_closed}). */
    public Room closeRoom(String roomId) {
        return changeStatus(roomId, RoomStatus.CLOSED);
    }

    /** Pauses the room: it keeps accepting events, but routing no longer picks it for unbound messages. */
    public Room pauseRoom(String roomId) {
        return changeStatus(roomId, RoomStatus.PAUSED);
    }

    /** Archives the room: like closing, for rooms that are done for good. */
    public Room archiveRoom(String roomId) {
        return changeStatus(roomId, RoomStatus.ARCHIVED);
    }

    /** Makes a paused, closed or archived room active again. */
    public Room reopenRoom(String roomId) {
        return changeStatus(roomId, RoomStatus.ACTIVE);
    }

    private Room changeStatus(String roomId, RoomStatus status) {
        return pipeline.withRoomLock(roomId, () -> {
            Room room = requireRoom(roomId);
            return room.status() == status ? room : store.updateRoom(room.withStatus(status));
        });
    }

    /** Replaces the room's metadata. */
    public Room updateRoomMetadata(String roomId, Map<String, ?> metadata) {
        return pipeline.withRoomLock(roomId, () -> store.updateRoom(requireRoom(roomId).withMetadata(metadata)));
    }

    // ---- participants ------------------------------------------------------------------------------

    /**
     * Adds the participant, or changes the role of an existing one; {@code room_not_found} if no such room,
     * {@code banned} if the user is banned from it. Stores no event (see {@link #joinRoom}).
     */
    public Participant addParticipant(String roomId, String participantId, ParticipantRole role) {
        requireRoom(roomId);
        requireNonBlank(participantId, "participantId");
        requireNotBanned(roomId, participantId);
        Participant existing = store.getParticipant(roomId, participantId).orElse(null);
        Participant participant = existing == null ? Participant.of(roomId, participantId, role)
                : new Participant(roomId, participantId, existing.channelId(), existing.displayName(), role,
                        ParticipantStatus.ACTIVE, existing.joinedAt(), existing.metadata());
        return store.saveParticipant(participant);
    }

    /** Adds or replaces a participant as given; {@code banned} if the user is banned from the room. */
    public Participant addParticipant(Participant participant) {
        requireRoom(participant.roomId());
        requireNotBanned(participant.roomId(), participant.id());
        return store.saveParticipant(participant);
    }

    private void requireNotBanned(String roomId, String participantId) {
        if (store.getBan(roomId, participantId).isPresent()) {
            throw new RoomKitException(ErrorCodes.BANNED, "'" + participantId + "' is banned from room '" + roomId
                    + "'");
        }
    }

    public Optional<Participant> getParticipant(String roomId, String participantId) {
        return store.getParticipant(roomId, participantId);
    }

    public List<Participant> participants(String roomId) {
        requireRoom(roomId);
        return store.listParticipants(roomId);
    }

    /**
     * Removes (kicks) a participant: stores a {@code participant_removed} SYSTEM event and tells every node that
     * the user's membership changed, so that their open subscriptions to the room end. They may join again
     * where the access rules let them (unlike a ban). {@code false}, with nothing stored, if they were no
     * participant.
     */
    public boolean removeParticipant(String roomId, String participantId) {
        return removeParticipant(roomId, participantId, null, null);
    }

    /** {@link #removeParticipant(String, String)} by a moderator, with a reason, both recorded in the event. */
    public boolean removeParticipant(String roomId, String participantId, String reason, String moderatorId) {
        requireNonBlank(participantId, "participantId");
        boolean removed = pipeline.withRoomLock(roomId, () -> store.removeParticipant(roomId, participantId));
        if (removed) {
            recordMembership(roomId, participantId, SystemContent.PARTICIPANT_REMOVED, reason, moderatorId);
        }
        announceMembership(roomId, participantId, "removed");
        return removed;
    }

    /**
     * The participant leaves the room of their own accord: a {@code participant_left} SYSTEM event, and their
     * subscriptions end as for a removal. {@code false}, with nothing stored, if they were no participant.
     */
    public boolean leaveRoom(String roomId, String participantId) {
        requireNonBlank(participantId, "participantId");
        boolean removed = pipeline.withRoomLock(roomId, () -> store.removeParticipant(roomId, participantId));
        if (removed) {
            recordMembership(roomId, participantId, SystemContent.PARTICIPANT_LEFT, null, null);
            announceMembership(roomId, participantId, "left");
        }
        return removed;
    }

    /**
     * Adds the user as a participant (as {@link #addParticipant(String, String, ParticipantRole)}) and, when they
     * were not an active participant before, stores a {@code participant_joined} SYSTEM event. {@code banned}
     * if the user is banned from the room.
     */
    public Participant joinRoom(String roomId, String participantId, ParticipantRole role) {
        boolean member = store.getParticipant(roomId, participantId).filter(Participant::isActive).isPresent();
        Participant participant = addParticipant(roomId, participantId, role);
        if (!member) {
            recordMembership(roomId, participantId, SystemContent.PARTICIPANT_JOINED, null, null);
        }
        return participant;
    }

    /**
     * Bans a user from the room: they stop being a participant, cannot be added or join again until
     * {@link #unbanParticipant unbanned}, their open subscriptions end on every node, and a
     * {@code participant_banned} SYSTEM event is stored. Banning a user who is no participant bans them in advance.
     * Banning again replaces the reason.
     */
    public Ban banParticipant(String roomId, String participantId, String reason) {
        return banParticipant(roomId, participantId, reason, null);
    }

    /** {@link #banParticipant(String, String, String)} by a moderator, recorded in the ban and the event. */
    public Ban banParticipant(String roomId, String participantId, String reason, String moderatorId) {
        requireNonBlank(participantId, "participantId");
        Ban ban = pipeline.withRoomLock(roomId, () -> {
            requireRoom(roomId);
            return store.saveBan(Ban.of(roomId, participantId, reason, moderatorId));
        });
        recordMembership(roomId, participantId, SystemContent.PARTICIPANT_BANNED, reason, moderatorId);
        announceMembership(roomId, participantId, "banned");
        return ban;
    }

    /**
     * Lifts a ban (a {@code participant_unbanned} SYSTEM event); the user may join again but is not made a
     * participant. {@code false}, with nothing stored, if they were not banned.
     */
    public boolean unbanParticipant(String roomId, String participantId) {
        return unbanParticipant(roomId, participantId, null);
    }

    /** {@link #unbanParticipant(String, String)} by a moderator, recorded in the event. */
    public boolean unbanParticipant(String roomId, String participantId, String moderatorId) {
        requireNonBlank(participantId, "participantId");
        boolean lifted = pipeline.withRoomLock(roomId, () -> store.removeBan(roomId, participantId));
        if (lifted) {
            recordMembership(roomId, participantId, SystemContent.PARTICIPANT_UNBANNED, null, moderatorId);
            announceMembership(roomId, participantId, "unbanned");
        }
        return lifted;
    }

    public Optional<Ban> getBan(String roomId, String participantId) {
        return roomId == null || participantId == null ? Optional.empty() : store.getBan(roomId, participantId);
    }

    public boolean isBanned(String roomId, String participantId) {
        return getBan(roomId, participantId).isPresent();
    }

    /** Bans of the room, oldest first. */
    public List<Ban> bans(String roomId) {
        requireRoom(roomId);
        return store.listBans(roomId);
    }

    /**
     * Whether the participant may moderate the room (kick, ban, mute, delete others' messages as ADMIN): an
     * active owner, or whoever the kit's {@link ModeratorCheck} names.
     */
    public boolean isModerator(String roomId, String participantId) {
        if (participantId == null) {
            return false;
        }
        Room room = requireRoom(roomId);
        boolean owner = store.getParticipant(roomId, participantId)
                .filter(participant -> participant.isActive() && participant.role() == ParticipantRole.OWNER)
                .isPresent();
        return owner || moderatorCheck.isModerator(participantId, new RoomContext(room, store.listBindings(roomId),
                () -> store.listParticipants(roomId), limit -> store.listEvents(roomId,
                        EventQuery.latest(limit).ofTypes(EventType.MESSAGE))));
    }

    /** Stores the membership change as a SYSTEM event; a closed room keeps no record of it. */
    private void recordMembership(String roomId, String userId, String code, String reason, String moderatorId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", userId);
        if (moderatorId != null) {
            data.put("by", moderatorId);
        }
        if (reason != null && !reason.isBlank()) {
            data.put("reason", reason);
        }
        RoomEvent event = RoomEvent.builder().roomId(roomId).type(EventType.SYSTEM)
                .source(new EventSource(SYSTEM_CHANNEL_ID, ChannelType.SYSTEM, moderatorId))
                .content(new SystemContent(membershipText(userId, code), code, data)).build();
        pipeline.record(event);
    }

    private static String membershipText(String userId, String code) {
        return switch (code) {
            case SystemContent.PARTICIPANT_JOINED -> userId + " joined";
            case SystemContent.PARTICIPANT_LEFT -> userId + " left";
            case SystemContent.PARTICIPANT_REMOVED -> userId + " was removed";
            case SystemContent.PARTICIPANT_BANNED -> userId + " was banned";
            default -> userId + " was unbanned";
        };
    }

    /**
     * Tells every node (through the realtime backend's {@link #MEMBERSHIP_CHANNEL}) that the user's membership
     * of the room changed, so that each checks the user's open subscriptions there again and forgets the access
     * decisions it remembered for them. At most once, like every realtime event: a node that misses it keeps a
     * remembered decision only until that decision's time to live runs out.
     */
    private void announceMembership(String roomId, String userId, String action) {
        try {
            realtime.publish(MEMBERSHIP_CHANNEL, EphemeralEvent.of(roomId, EphemeralEventType.CUSTOM, userId, null,
                    Map.of("kind", "membership", "action", action, "user_id", userId)));
        }
        catch (RuntimeException ex) {
            log.warn("Could not announce the membership change of {} in room {}", userId, roomId, ex);
        }
    }

    // ---- channels ----------------------------------------------------------------------------------

    /** Registers a channel; {@code channel_exists} if another channel has its id. */
    public void registerChannel(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        requireNonBlank(channel.id(), "channel id");
        channels.register(channel);
        channel.onRegistered(realtime);
    }

    /** Registers {@code channel} unless a channel with its id exists; returns the registered one. */
    public Channel registerChannelIfAbsent(Channel channel) {
        Channel registered = channels.registerIfAbsent(channel);
        if (registered == channel) {
            channel.onRegistered(realtime);
        }
        return registered;
    }

    public Optional<Channel> channel(String channelId) {
        return channelId == null ? Optional.empty() : channels.find(channelId);
    }

    /** Unregisters a channel; its bindings stay but receive nothing until it is registered again. */
    public Optional<Channel> unregisterChannel(String channelId) {
        return channels.unregister(channelId);
    }

    /** Attaches a registered channel to a room with read-write access (or returns the existing binding). */
    public ChannelBinding attachChannel(String roomId, String channelId) {
        return attachChannel(roomId, channelId, ChannelAccess.READ_WRITE);
    }

    /** Attaches a registered channel to a room, or changes the access of its binding. */
    public ChannelBinding attachChannel(String roomId, String channelId, ChannelAccess access) {
        Channel channel = channels.require(channelId);
        return pipeline.withRoomLock(roomId, () -> {
            requireRoom(roomId);
            Optional<ChannelBinding> existing = store.getBinding(roomId, channelId);
            if (existing.isPresent() && existing.get().access() == access) {
                return existing.get();
            }
            return store.saveBinding(existing.orElseGet(() -> InboundPipeline.bindingFor(roomId, channel))
                    .withAccess(access));
        });
    }

    /**
     * Attaches a registered channel to every room whose id matches one of the {@code *} patterns, at the room's
     * next message (for example an AI assistant in every {@code support-*} room).
     */
    public void autoAttach(String channelId, String... roomPatterns) {
        channels.require(channelId);
        if (roomPatterns.length == 0) {
            throw InvalidInputException.argument("at least one room pattern is required");
        }
        pipeline.autoAttachRules().add(channelId, List.of(roomPatterns));
    }

    public boolean detachChannel(String roomId, String channelId) {
        return pipeline.withRoomLock(roomId, () -> store.removeBinding(roomId, channelId));
    }

    /** Mutes a binding: the channel still receives the room's events but may not write. */
    public ChannelBinding muteChannel(String roomId, String channelId) {
        return updateBinding(roomId, channelId, binding -> binding.withMuted(true));
    }

    public ChannelBinding unmuteChannel(String roomId, String channelId) {
        return updateBinding(roomId, channelId, binding -> binding.withMuted(false));
    }

    public Optional<ChannelBinding> getBinding(String roomId, String channelId) {
        return store.getBinding(roomId, channelId);
    }

    public List<ChannelBinding> bindings(String roomId) {
        requireRoom(roomId);
        return store.listBindings(roomId);
    }

    private ChannelBinding updateBinding(String roomId, String channelId, UnaryOperator<ChannelBinding> change) {
        return pipeline.withRoomLock(roomId, () -> {
            requireRoom(roomId);
            ChannelBinding binding = store.getBinding(roomId, channelId).orElseThrow(() -> new RoomKitException(
                    ErrorCodes.CHANNEL_NOT_ATTACHED, "Channel '" + channelId + "' is not attached to room '"
                            + roomId + "'"));
            return store.saveBinding(change.apply(binding));
        });
    }

    // ---- hooks -------------------------------------------------------------------------------------

    /** Adds a hook; see {@link Hook} for triggers, names and priorities. */
    public void addHook(Hook hook) {
        hooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /** Removes every hook with that name. */
    public boolean removeHook(String name) {
        return hooks.remove(name);
    }

    // ---- persistent events -------------------------------------------------------------------------

    /**
     * Processes a message through the pipeline, routing it to the one active room its channel is bound to
     * or to a new room. Throws {@code channel_not_registered} for an unknown channel.
     * <p>
     * Called from outside any delivery, returns once the event is stored and every transport channel and
     * {@code AFTER_BROADCAST} hook of the room has taken it, or has been set aside because it stalled on an
     * earlier event (it takes this one later, in order). AI channels answer afterwards, on their own threads:
     * this call does not wait for them. Called from inside a delivery (a hook, listener, channel or AI channel
     * writing into this room or another), returns once the event is stored; its delivery follows in the room's
     * order. Such a write is one hop deeper in its chain than the event being handled, and is stored blocked
     * ({@code chain_depth_limit}) at the kit's maximum chain depth, so that writes that provoke each other stop.
     */
    public InboundResult processInbound(InboundMessage message) {
        return observed(Objects.requireNonNull(message, "message"), null);
    }

    /** Processes a message in {@code roomId}, creating the room and attaching the channel if needed. */
    public InboundResult processInbound(InboundMessage message, String roomId) {
        return observed(Objects.requireNonNull(message, "message"), Objects.requireNonNull(roomId, "roomId"));
    }

    private InboundResult observed(InboundMessage message, String roomId) {
        long start = System.nanoTime();
        try {
            InboundResult result = pipeline.process(message, roomId);
            long elapsed = System.nanoTime() - start;
            notifyObservers(observer -> observer.processed(message, result, elapsed));
            return result;
        }
        catch (RuntimeException ex) {
            long elapsed = System.nanoTime() - start;
            notifyObservers(observer -> observer.failed(message, ex, elapsed));
            throw ex;
        }
    }

    private void notifyObservers(Consumer<InboundObserver> call) {
        for (InboundObserver observer : observers) {
            try {
                call.accept(observer);
            }
            catch (RuntimeException ex) {
                log.warn("Inbound observer {} failed", observer, ex);
            }
        }
    }

    /**
     * A page of the room's events, ascending by index, or of one thread's replies ({@link EventQuery#thread});
     * every thread root carries its {@link RoomEvent#thread() summary}. {@code room_not_found} if there is no
     * such room.
     */
    public List<RoomEvent> events(String roomId, EventQuery query) {
        requireRoom(roomId);
        return EventSummaries.addTo(store, roomId, store.listEvents(roomId, Objects.requireNonNull(query, "query")));
    }

    /** The event if it belongs to the room. */
    public Optional<RoomEvent> getEvent(String roomId, String eventId) {
        return roomId == null || eventId == null ? Optional.empty() : store.getEvent(roomId, eventId);
    }

    /**
     * The EDIT events applied to a message, oldest first; blocked edits, which changed nothing, are left out.
     * {@code event_not_found} if the room has no such event.
     */
    public List<RoomEvent> editHistory(String roomId, String eventId) {
        requireEvent(roomId, eventId);
        return store.listEdits(roomId, eventId).stream().filter(edit -> edit.status() != EventStatus.BLOCKED)
                .toList();
    }

    // ---- read state --------------------------------------------------------------------------------

    /**
     * Moves the channel's read marker forward to the event (a marker already past it stays).
     * {@code event_not_found} if the event is not one of the room's. Publishes nothing.
     */
    public void markRead(String roomId, String channelId, String eventId) {
        requireNonBlank(channelId, "channelId");
        RoomEvent event = requireEvent(roomId, eventId);
        store.advanceReadMarker(roomId, channelId, event.index());
    }

    /** Moves the channel's read marker to the room's newest event. */
    public void markAllRead(String roomId, String channelId) {
        requireNonBlank(channelId, "channelId");
        requireRoom(roomId);
        store.latestIndex(roomId).ifPresent(latest -> store.advanceReadMarker(roomId, channelId, latest));
    }

    /** Messages after the channel's marker that are not deleted and were not sent from that channel. */
    public long unreadCount(String roomId, String channelId) {
        requireNonBlank(channelId, "channelId");
        requireRoom(roomId);
        return store.countUnread(roomId, channelId);
    }

    /**
     * The unread messages of (room, channel), as {@link #unreadCount} counts them, that mention {@code userId}
     * (its {@code metadata.mentions} names the user, see {@link RoomEvent#mentions()}).
     */
    public long unreadMentionCount(String roomId, String channelId, String userId) {
        requireNonBlank(channelId, "channelId");
        requireNonBlank(userId, "userId");
        requireRoom(roomId);
        return store.countUnreadMentions(roomId, channelId, userId);
    }

    /** The rooms where {@code participantId} is an active participant, oldest room first (at most 1,000). */
    public List<String> roomsOf(String participantId) {
        requireNonBlank(participantId, "participantId");
        return store.findRoomIdsByParticipant(participantId, MAX_ROOMS_OF);
    }

    /** Read markers (indices) of the room by channel id. */
    public Map<String, Long> readMarkers(String roomId) {
        requireRoom(roomId);
        return store.readMarkers(roomId);
    }

    // ---- ephemeral events --------------------------------------------------------------------------

    public void publishTyping(String roomId, String userId, boolean isTyping) {
        publishTyping(roomId, userId, isTyping, Map.of());
    }

    /** TYPING_START or TYPING_STOP with the caller's data. */
    public void publishTyping(String roomId, String userId, boolean isTyping, Map<String, ?> data) {
        publish(roomId, isTyping ? EphemeralEventType.TYPING_START : EphemeralEventType.TYPING_STOP, userId, null,
                data == null ? Map.of() : data);
    }

    /** PRESENCE_ONLINE, _AWAY or _OFFLINE for those statuses; any other status is CUSTOM {@code {status}}. */
    public void publishPresence(String roomId, String userId, String status) {
        requireNonBlank(status, "status");
        switch (status) {
            case "online" -> publish(roomId, EphemeralEventType.PRESENCE_ONLINE, userId, null, Map.of());
            case "away" -> publish(roomId, EphemeralEventType.PRESENCE_AWAY, userId, null, Map.of());
            case "offline" -> publish(roomId, EphemeralEventType.PRESENCE_OFFLINE, userId, null, Map.of());
            default -> publish(roomId, EphemeralEventType.CUSTOM, userId, null, Map.of("status", status));
        }
    }

    public void publishReaction(String roomId, String userId, String targetEventId, String emoji) {
        publishReaction(roomId, userId, targetEventId, emoji, "add");
    }

    /**
     * REACTION {@code {target_event_id, emoji, action}}, published only: nothing is stored. {@link #addReaction}
     * and {@link #removeReaction} store a reaction and publish this same event.
     */
    public void publishReaction(String roomId, String userId, String targetEventId, String emoji, String action) {
        requireNonBlank(targetEventId, "targetEventId");
        requireNonBlank(emoji, "emoji");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target_event_id", targetEventId);
        data.put("emoji", emoji);
        data.put("action", action == null ? "add" : action);
        publish(roomId, EphemeralEventType.REACTION, userId, null, data);
    }

    /**
     * Stores {@code userId}'s reaction with {@code emoji} to a message and, when the user had not reacted so
     * already, publishes the live {@code reaction} event (action {@code add}); returns whether it was new, so a
     * repeat changes nothing and publishes nothing. Pages read with {@link #events} carry each message's
     * {@link RoomEvent#reactions()}. {@code event_not_found} if the room has no such event, {@code invalid_argument}
     * if it is not a message, {@code target_deleted} if it is deleted (deleting a message removes its reactions).
     */
    public boolean addReaction(String roomId, String userId, String eventId, String emoji) {
        requireNonBlank(userId, "userId");
        Reaction reaction = Reaction.of(roomId, eventId, userId, emoji);
        RoomEvent target = requireEvent(roomId, eventId);
        if (target.type() != EventType.MESSAGE) {
            throw InvalidInputException.argument("Only messages take reactions; event '" + eventId + "' is "
                    + target.type().value());
        }
        boolean added = store.addReaction(reaction);
        if (added) {
            publishReaction(roomId, userId, eventId, emoji, "add");
        }
        return added;
    }

    /**
     * Removes {@code userId}'s own reaction with {@code emoji} to an event and, when there was one, publishes the
     * live {@code reaction} event (action {@code remove}); returns whether there was one.
     */
    public boolean removeReaction(String roomId, String userId, String eventId, String emoji) {
        requireNonBlank(userId, "userId");
        requireNonBlank(eventId, "eventId");
        requireNonBlank(emoji, "emoji");
        boolean removed = store.removeReaction(roomId, eventId, userId, emoji);
        if (removed) {
            publishReaction(roomId, userId, eventId, emoji, "remove");
        }
        return removed;
    }

    /** READ_RECEIPT {@code {event_id}}; does not move the read marker (see {@link #markRead}). */
    public void publishReadReceipt(String roomId, String userId, String eventId) {
        requireNonBlank(eventId, "eventId");
        publish(roomId, EphemeralEventType.READ_RECEIPT, userId, null, Map.of("event_id", eventId));
    }

    /** TOOL_CALL_START {@code {tool_calls, channel_id}} from an AI channel. */
    public void publishToolCall(String roomId, String channelId, List<? extends Map<String, ?>> toolCalls) {
        publishToolCall(roomId, channelId, toolCalls, EphemeralEventType.TOOL_CALL_START, null);
    }

    /** A tool-call event {@code {tool_calls, channel_id[, duration_ms]}} from an AI channel. */
    public void publishToolCall(String roomId, String channelId, List<? extends Map<String, ?>> toolCalls,
            EphemeralEventType eventType, Long durationMs) {
        if (eventType != EphemeralEventType.TOOL_CALL_START && eventType != EphemeralEventType.TOOL_CALL_END) {
            throw InvalidInputException.argument("eventType must be TOOL_CALL_START or TOOL_CALL_END");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_calls", toolCalls == null ? List.of() : List.copyOf(toolCalls));
        data.put("channel_id", channelId);
        if (durationMs != null) {
            data.put("duration_ms", durationMs);
        }
        publish(roomId, eventType, channelId, channelId, data);
    }

    /** Subscribes to the room's ephemeral events; returns the subscription id. */
    public String subscribeRoom(String roomId, EphemeralListener listener) {
        requireNonBlank(roomId, "roomId");
        return realtime.subscribeToRoom(roomId, Objects.requireNonNull(listener, "listener"));
    }

    public boolean unsubscribeRoom(String subscriptionId) {
        return subscriptionId != null && realtime.unsubscribe(subscriptionId);
    }

    private void publish(String roomId, EphemeralEventType type, String userId, String channelId,
            Map<String, ?> data) {
        requireNonBlank(roomId, "roomId");
        requireNonBlank(userId, "userId");
        realtime.publishToRoom(roomId, EphemeralEvent.of(roomId, type, userId, channelId, data));
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /** The realtime backend, for publishing custom events and for backends' own features. */
    public RealtimeBackend realtime() {
        return realtime;
    }

    public ConversationStore store() {
        return store;
    }

    /**
     * Waits until every delivery and AI answer set off so far has happened, and those they set off in turn:
     * for tests and orderly shutdowns. Returns false when {@code timeout} passed first.
     */
    public boolean awaitIdle(Duration timeout) {
        try {
            return pipeline.awaitIdle(Objects.requireNonNull(timeout, "timeout"));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Lets deliveries and AI answers in flight finish (for up to five seconds), then closes the realtime
     * backend, the channels and the store; idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!awaitIdle(CLOSE_GRACE)) {
            log.warn("Closing with deliveries or AI answers still running after {} s", CLOSE_GRACE.toSeconds());
        }
        pipeline.close();
        deliveries.close();
        intelligence.shutdownNow();
        realtime.close();
        for (Channel channel : channels.all()) {
            try {
                channel.close();
            }
            catch (RuntimeException ex) {
                log.warn("Channel {} failed to close", channel.id(), ex);
            }
        }
        store.close();
    }

    private Room requireRoom(String roomId) {
        if (roomId == null) {
            throw new RoomNotFoundException(null);
        }
        return store.getRoom(roomId).orElseThrow(() -> new RoomNotFoundException(roomId));
    }

    private RoomEvent requireEvent(String roomId, String eventId) {
        requireRoom(roomId);
        return getEvent(roomId, eventId).orElseThrow(() -> new EventNotFoundException(roomId, eventId));
    }

    private static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw InvalidInputException.argument(name + " must not be blank");
        }
    }

    /** Builds a {@link RoomKit}; every setting has a default. */
    public static final class Builder {

        private ConversationStore store;
        private RealtimeBackend realtime;
        private ModeratorCheck moderatorCheck = ModeratorCheck.ownersOnly();
        private int maxChainDepth = DEFAULT_MAX_CHAIN_DEPTH;
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private int intelligenceThreads = DEFAULT_INTELLIGENCE_THREADS;
        private final List<InboundObserver> observers = new ArrayList<>();

        private Builder() {
        }

        /** Adds an observer of every {@code processInbound} call (metrics, tracing). */
        public Builder observer(InboundObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /** Where events live; default {@link InMemoryConversationStore}. */
        public Builder store(ConversationStore store) {
            this.store = store;
            return this;
        }

        /** How ephemeral events travel; default {@link InMemoryRealtime}. */
        public Builder realtime(RealtimeBackend realtime) {
            this.realtime = realtime;
            return this;
        }

        /** Who besides room owners may delete others' messages as ADMIN; default nobody. */
        public Builder moderatorCheck(ModeratorCheck moderatorCheck) {
            this.moderatorCheck = Objects.requireNonNull(moderatorCheck, "moderatorCheck");
            return this;
        }

        /** Maximum AI hops in a chain of answers; default {@value RoomKit#DEFAULT_MAX_CHAIN_DEPTH}. */
        public Builder maxChainDepth(int maxChainDepth) {
            if (maxChainDepth < 1) {
                throw new IllegalArgumentException("maxChainDepth must be at least 1");
            }
            this.maxChainDepth = maxChainDepth;
            return this;
        }

        /**
         * How long a channel or hook may take one event before the room goes on without it; default
         * {@link RoomKit#DEFAULT_STALL_TIMEOUT}. The stalled one keeps its later events, in order, for when it
         * returns.
         */
        public Builder stallTimeout(Duration stallTimeout) {
            if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be positive");
            }
            this.stallTimeout = stallTimeout;
            return this;
        }

        /** How many AI answers are produced at the same time; default {@value RoomKit#DEFAULT_INTELLIGENCE_THREADS}. */
        public Builder intelligenceThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("intelligenceThreads must be at least 1");
            }
            this.intelligenceThreads = threads;
            return this;
        }

        public RoomKit build() {
            return new RoomKit(this);
        }
    }
}
