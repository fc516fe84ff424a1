package io.roomkit.store;

import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EventQuery;
import io.roomkit.model.Participant;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.ThreadSummary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where rooms, bindings, participants, events and read markers live. Implementations must be thread-safe;
 * every method is one atomic unit. The contract is pinned by the {@code ConversationStoreContractTest}
 * suite of the core test-jar, which every implementation should extend.
 * <p>
 * Common rules: reads of an unknown room return empty results (empty lists, empty optionals, zero); writes
 * to an unknown room throw {@code room_not_found}. Lists come in insertion order (rooms by creation, bindings
 * by first attach, participants by first join; saving again keeps the original place), never by timestamp,
 * since timestamps may be equal.
 */
public interface ConversationStore extends AutoCloseable {

    // ---- rooms -------------------------------------------------------------------------------------

    /** Stores a new room; {@code room_exists} {@link io.roomkit.RoomKitException} if the id is taken. */
    Room createRoom(Room room);

    Optional<Room> getRoom(String roomId);

    /** Replaces a room's status, metadata and timestamps; {@code room_not_found} if it does not exist. */
    Room updateRoom(Room room);

    /** Rooms in creation order. */
    List<Room> listRooms(int offset, int limit);

    /** Deletes a room and everything in it; {@code false} if it did not exist. */
    boolean deleteRoom(String roomId);

    /** Ids of the rooms the channel is bound to, with the given status (any if {@code null}), oldest first. */
    List<String> findRoomIdsByChannel(String channelId, RoomStatus status, int limit);

    /**
     * Ids of the rooms where {@code participantId} is an active participant, in the order the rooms were created,
     * at most {@code limit}. The default reads every room; stores answer it with one query.
     */
    default List<String> findRoomIdsByParticipant(String participantId, int limit) {
        List<String> roomIds = new ArrayList<>();
        int page = 500;
        for (int offset = 0; roomIds.size() < limit; offset += page) {
            List<Room> rooms = listRooms(offset, page);
            for (Room room : rooms) {
                if (roomIds.size() < limit && getParticipant(room.id(), participantId)
                        .filter(Participant::isActive).isPresent()) {
                    roomIds.add(room.id());
                }
            }
            if (rooms.size() < page) {
                break;
            }
        }
        return roomIds;
    }

    // ---- bindings ----------------------------------------------------------------------------------

    /** Inserts or replaces the binding of (room, channel); {@code room_not_found} if the room does not exist. */
    ChannelBinding saveBinding(ChannelBinding binding);

    Optional<ChannelBinding> getBinding(String roomId, String channelId);

    /** Bindings of a room in attach order. */
    List<ChannelBinding> listBindings(String roomId);

    /**
     * The room and its bindings, which the pipeline reads for every inbound message. The default makes two reads;
     * a database store overrides it to make one, since each read is a round trip.
     */
    default Optional<RoomWithBindings> getRoomWithBindings(String roomId) {
        return getRoom(roomId).map(room -> new RoomWithBindings(room, listBindings(roomId)));
    }

    boolean removeBinding(String roomId, String channelId);

    // ---- participants ------------------------------------------------------------------------------

    /** Inserts or replaces the participant (room, id); {@code room_not_found} if the room does not exist. */
    Participant saveParticipant(Participant participant);

    Optional<Participant> getParticipant(String roomId, String participantId);

    /** Participants of a room in join order. */
    List<Participant> listParticipants(String roomId);

    boolean removeParticipant(String roomId, String participantId);

    // ---- bans --------------------------------------------------------------------------------------

    /**
     * Records the ban (replacing an earlier ban of the same user in the room) and removes the user's participant
     * row, in one atomic unit: nobody ever sees them banned and still a participant. {@code room_not_found} if
     * the room does not exist. The default refuses: a store written before bans existed cannot keep them.
     */
    default Ban saveBan(Ban ban) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot store bans");
    }

    /** The user's ban from the room, if there is one. */
    default Optional<Ban> getBan(String roomId, String participantId) {
        return Optional.empty();
    }

    /** Bans of a room, oldest first (a renewed ban keeps its place). */
    default List<Ban> listBans(String roomId) {
        return List.of();
    }

    /** Lifts the ban; {@code false} if there was none. The user does not become a participant again. */
    default boolean removeBan(String roomId, String participantId) {
        return false;
    }

    // ---- events ------------------------------------------------------------------------------------

    /**
     * Atomically reserves the room's next index (0 for the first event; gapless, never reused), stores the
     * event with it and applies the replacements. Returns the stored event.
     * <p>
     * Throws {@code room_not_found} for an unknown room; {@code duplicate_idempotency_key} when the room
     * already has an event with the new event's idempotency key (a concurrent writer on another node won);
     * {@code event_exists} when an event with the new event's id is stored; {@code event_not_found} when a
     * replacement names an event that the room does not have; {@code room_closed} when the room is closed or
     * archived. It also refuses to replace an event that is already deleted ({@code target_deleted} for an edit,
     * {@code already_deleted} for a delete): the pipeline checks without a lock, so a concurrent writer (on this
     * node or another) may have deleted it since, and the store, under its own lock, has the last word. A replacement that marks a message
     * deleted also redacts, with its content, every EDIT of that message the commit does not replace itself
     * (one committed by another node since the pipeline listed them). Nothing is written when it throws.
     */
    RoomEvent commit(EventCommit commit);

    /**
     * Commits several events of one room, in list order, as consecutive calls of {@link #commit} would: the
     * stored events get consecutive indices, and a refused commit fails alone and leaves no gap (an idempotency
     * key the room already has, or that an earlier commit of the batch took; a replacement target that is
     * unknown or deleted, also by an earlier commit of the batch; an event id that is stored). Returns one
     * outcome per commit, in the same order; never throws for a single commit's refusal.
     * <p>
     * The pipeline calls it with the commits of writers queued on a room's commit lock, so that a database
     * store can write them in one transaction. The default commits them one by one.
     *
     * @throws IllegalArgumentException when the commits are not all of one room
     */
    default List<CommitOutcome> commitAll(List<EventCommit> commits) {
        requireOneRoom(commits);
        List<CommitOutcome> outcomes = new ArrayList<>(commits.size());
        for (EventCommit commit : commits) {
            try {
                outcomes.add(CommitOutcome.stored(commit(commit)));
            }
            catch (RuntimeException ex) {
                outcomes.add(CommitOutcome.failed(ex));
            }
        }
        return outcomes;
    }

    /**
     * Whether a commit made now on the calling thread may carry other writers' events ({@link #commitAll}).
     * A store whose commits join a transaction the calling thread has open says no while there is one, since the
     * other writers' events would then be undone with it. The pipeline then commits each writer's event on its
     * own thread.
     */
    default boolean mayCommitForOthers() {
        return true;
    }

    /** Checks that a {@link #commitAll} batch is of one room. */
    private static void requireOneRoom(List<EventCommit> commits) {
        if (commits.stream().map(commit -> commit.event().roomId()).distinct().count() > 1) {
            throw new IllegalArgumentException("the commits of a batch must all be of one room");
        }
    }

    /** The event with that id if it belongs to that room. */
    Optional<RoomEvent> getEvent(String roomId, String eventId);

    Optional<RoomEvent> findByIdempotencyKey(String roomId, String idempotencyKey);

    /** A page of the room's events, in ascending index order (see {@link EventQuery}). */
    List<RoomEvent> listEvents(String roomId, EventQuery query);

    /** The events of type {@code EDIT} whose {@code EditContent} targets {@code eventId}, oldest first. */
    List<RoomEvent> listEdits(String roomId, String eventId);

    /**
     * The thread summaries of those of {@code rootEventIds} that have replies that count (see
     * {@link ThreadReplies#counts}), by root id; roots without such replies are absent. The default reads each
     * thread with {@link #listEvents}; stores answer it with one query.
     */
    default Map<String, ThreadSummary> threadSummaries(String roomId, Collection<String> rootEventIds) {
        Map<String, ThreadSummary> summaries = new LinkedHashMap<>();
        for (String root : rootEventIds) {
            ThreadReplies replies = new ThreadReplies();
            EventQuery page = EventQuery.after(-1, EventQuery.MAX_LIMIT).inThread(root);
            List<RoomEvent> events = listEvents(roomId, page);
            while (!events.isEmpty()) {
                events.forEach(replies::add);
                long last = events.get(events.size() - 1).index();
                events = listEvents(roomId, EventQuery.after(last, EventQuery.MAX_LIMIT).inThread(root));
            }
            replies.summary().ifPresent(summary -> summaries.put(root, summary));
        }
        return summaries;
    }

    // ---- reactions ---------------------------------------------------------------------------------

    /**
     * Stores {@code reaction} unless its user already reacted to that event with that emoji; {@code true} when it
     * was stored. {@code event_not_found} if the room has no such event; {@code target_deleted} if the event is
     * deleted. Atomic with the commit that deletes the event: a reaction is never left on a deleted event, since a
     * commit whose replacement deletes an event removes that event's reactions.
     */
    default boolean addReaction(Reaction reaction) {
        throw new UnsupportedOperationException(getClass().getName() + " does not store reactions");
    }

    /** Removes the user's reaction with that emoji to that event; {@code true} when there was one. */
    default boolean removeReaction(String roomId, String eventId, String userId, String emoji) {
        throw new UnsupportedOperationException(getClass().getName() + " does not store reactions");
    }

    /**
     * The reactions of those of {@code eventIds} that have some: by event id, then by emoji in the order each emoji
     * was first used, each with its count and its first users ({@link ReactionSummary}). Events without
     * reactions are absent. The default, for stores without reactions, has none.
     */
    default Map<String, Map<String, ReactionSummary>> reactionSummaries(String roomId, Collection<String> eventIds) {
        return Map.of();
    }

    /** Index of the room's newest event, empty when it has none. */
    OptionalLong latestIndex(String roomId);

    /** Number of stored events of the room. */
    long countEvents(String roomId);

    // ---- read state --------------------------------------------------------------------------------

    /**
     * Moves the read marker of (room, channel) forward to {@code index}; a marker already at or past it is
     * kept. Returns the marker after the call. One conditional write, safe against concurrent calls.
     * Throws {@code room_not_found} for an unknown room.
     */
    long advanceReadMarker(String roomId, String channelId, long index);

    OptionalLong readMarker(String roomId, String channelId);

    /** Read markers of the room by channel id. */
    Map<String, Long> readMarkers(String roomId);

    /**
     * The unread count of (room, channel): {@code MESSAGE} events with an index above the channel's marker
     * (every one when there is no marker) that are not deleted, not blocked and not sent from that channel.
     */
    long countUnread(String roomId, String channelId);

    /**
     * The unread messages of (room, channel), as {@link #countUnread} counts them, that mention {@code userId}
     * ({@link RoomEvent#mentions(String)}). The default reads the unread messages page by page.
     */
    default long countUnreadMentions(String roomId, String channelId, String userId) {
        long after = readMarker(roomId, channelId).orElse(-1);
        long count = 0;
        List<RoomEvent> page = listEvents(roomId, EventQuery.after(after, EventQuery.MAX_LIMIT)
                .ofTypes(io.roomkit.model.EventType.MESSAGE));
        while (!page.isEmpty()) {
            count += page.stream().filter(event -> event.mentions(userId)
                    && InMemoryConversationStore.countsAsUnread(event, channelId))
                    .count();
            page = listEvents(roomId, EventQuery.after(page.get(page.size() - 1).index(), EventQuery.MAX_LIMIT)
                    .ofTypes(io.roomkit.model.EventType.MESSAGE));
        }
        return count;
    }

    /** Releases the store's resources; idempotent. Must not close resources the application owns. */
    @Override
    default void close() {
    }
}
