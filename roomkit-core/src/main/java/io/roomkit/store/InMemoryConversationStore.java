package io.roomkit.store;

import io.roomkit.ErrorCodes;
import io.roomkit.EventNotFoundException;
import io.roomkit.RoomKitException;
import io.roomkit.RoomNotFoundException;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.Participant;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.ThreadSummary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link ConversationStore} in process memory, for tests, prototypes and single-node applications that
 * need no durability. Each room is guarded by its own monitor, so rooms do not contend with each other.
 * Records are immutable, so values are shared rather than copied.
 */
public class InMemoryConversationStore implements ConversationStore {

    private final Map<String, RoomData> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> roomsByChannel = new ConcurrentHashMap<>();
    private final AtomicLong creationSequence = new AtomicLong();

    // ---- rooms -------------------------------------------------------------------------------------

    @Override
    public Room createRoom(Room room) {
        RoomData fresh = new RoomData(room, creationSequence.incrementAndGet());
        if (rooms.putIfAbsent(room.id(), fresh) != null) {
            throw new RoomKitException(ErrorCodes.ROOM_EXISTS, "Room '" + room.id() + "' already exists");
        }
        return room;
    }

    @Override
    public Optional<Room> getRoom(String roomId) {
        RoomData data = rooms.get(roomId);
        if (data == null) {
            return Optional.empty();
        }
        synchronized (data) {
            return Optional.of(data.room);
        }
    }

    @Override
    public Room updateRoom(Room room) {
        return withRoom(room.id(), data -> data.room = room);
    }

    @Override
    public List<Room> listRooms(int offset, int limit) {
        return rooms.values().stream().sorted(Comparator.comparingLong(data -> data.sequence)).skip(offset)
                .limit(limit).map(data -> {
                    synchronized (data) {
                        return data.room;
                    }
                }).toList();
    }

    @Override
    public boolean deleteRoom(String roomId) {
        RoomData data = rooms.get(roomId);
        if (data == null) {
            return false;
        }
        synchronized (data) {
            if (data.deleted || !rooms.remove(roomId, data)) {
                return false;
            }
            data.deleted = true;
            data.bindings.keySet().forEach(channelId -> unindexBinding(channelId, roomId));
        }
        return true;
    }

    @Override
    public List<String> findRoomIdsByChannel(String channelId, RoomStatus status, int limit) {
        Set<String> roomIds = roomsByChannel.getOrDefault(channelId, Set.of());
        return roomIds.stream().map(rooms::get).filter(data -> data != null)
                .filter(data -> status == null || currentRoom(data).status() == status)
                .sorted(Comparator.comparingLong(data -> data.sequence)).limit(limit)
                .map(data -> data.room.id()).toList();
    }

    // ---- bindings ----------------------------------------------------------------------------------

    @Override
    public ChannelBinding saveBinding(ChannelBinding binding) {
        return withRoom(binding.roomId(), data -> {
            data.bindings.put(binding.channelId(), binding);
            roomsByChannel.compute(binding.channelId(), (key, roomIds) -> {
                Set<String> indexed = roomIds == null ? ConcurrentHashMap.newKeySet() : roomIds;
                indexed.add(binding.roomId());
                return indexed;
            });
            return binding;
        });
    }

    @Override
    public Optional<ChannelBinding> getBinding(String roomId, String channelId) {
        return readRoom(roomId, data -> Optional.ofNullable(data.bindings.get(channelId)), Optional.empty());
    }

    @Override
    public List<ChannelBinding> listBindings(String roomId) {
        return readRoom(roomId, data -> List.copyOf(data.bindings.values()), List.of());
    }

    @Override
    public boolean removeBinding(String roomId, String channelId) {
        return readRoom(roomId, data -> {
            if (data.deleted || data.bindings.remove(channelId) == null) {
                return false;
            }
            unindexBinding(channelId, roomId);
            return true;
        }, false);
    }

    private void unindexBinding(String channelId, String roomId) {
        roomsByChannel.computeIfPresent(channelId, (key, roomIds) -> {
            roomIds.remove(roomId);
            return roomIds.isEmpty() ? null : roomIds;
        });
    }

    // ---- participants ------------------------------------------------------------------------------

    @Override
    public Participant saveParticipant(Participant participant) {
        withRoom(participant.roomId(), data -> data.participants.put(participant.id(), participant));
        return participant;
    }

    @Override
    public Optional<Participant> getParticipant(String roomId, String participantId) {
        return readRoom(roomId, data -> Optional.ofNullable(data.participants.get(participantId)), Optional.empty());
    }

    @Override
    public List<Participant> listParticipants(String roomId) {
        return readRoom(roomId, data -> List.copyOf(data.participants.values()), List.of());
    }

    @Override
    public boolean removeParticipant(String roomId, String participantId) {
        return readRoom(roomId, data -> data.participants.remove(participantId) != null, false);
    }

    // ---- bans --------------------------------------------------------------------------------------

    @Override
    public Ban saveBan(Ban ban) {
        return withRoom(ban.roomId(), data -> {
            data.bans.put(ban.participantId(), ban);
            data.participants.remove(ban.participantId());
            return ban;
        });
    }

    @Override
    public Optional<Ban> getBan(String roomId, String participantId) {
        return readRoom(roomId, data -> Optional.ofNullable(data.bans.get(participantId)), Optional.empty());
    }

    @Override
    public List<Ban> listBans(String roomId) {
        return readRoom(roomId, data -> List.copyOf(data.bans.values()), List.of());
    }

    @Override
    public boolean removeBan(String roomId, String participantId) {
        return readRoom(roomId, data -> data.bans.remove(participantId) != null, false);
    }

    // ---- events ------------------------------------------------------------------------------------

    @Override
    public RoomEvent commit(EventCommit commit) {
        RoomEvent draft = commit.event();
        RoomData data = requireRoom(draft.roomId());
        synchronized (data) {
            if (data.deleted) {
                throw new RoomNotFoundException(draft.roomId());
            }
            String key = draft.idempotencyKey();
            if (key != null && data.idempotencyKeys.containsKey(key)) {
                throw new RoomKitException(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY,
                        "Room '" + draft.roomId() + "' already has an event with idempotency key '" + key + "'");
            }
            if (data.positions.containsKey(draft.id())) {
                throw new RoomKitException(ErrorCodes.EVENT_EXISTS,
                        "Room '" + draft.roomId() + "' already has an event with id '" + draft.id() + "'");
            }
            if (data.room.refusesEvents()) {
                throw new RoomKitException(ErrorCodes.ROOM_CLOSED, "Room '" + draft.roomId() + "' is closed");
            }
            for (RoomEvent replacement : commit.replacements()) {
                Integer position = data.positions.get(replacement.id());
                if (position == null) {
                    throw new RoomKitException(ErrorCodes.EVENT_NOT_FOUND,
                            "Cannot replace unknown event '" + replacement.id() + "'");
                }
                if (data.events.get(position).isDeleted()) {
                    // checked by the pipeline before the commit; a concurrent delete may have come since
                    throw new RoomKitException(draft.type() == EventType.DELETE ? ErrorCodes.ALREADY_DELETED
                            : ErrorCodes.TARGET_DELETED, "Event '" + replacement.id() + "' of room '"
                                    + draft.roomId() + "' was deleted by a concurrent write");
                }
            }
            String edited = commit.editedEventId();
            RoomEvent event = edited == null ? draft
                    : commit.eventReplacing(data.events.get(data.positions.get(edited)).content());
            for (RoomEvent replacement : commit.replacements()) {
                int position = data.positions.get(replacement.id());
                data.events.set(position, replacement.toBuilder().index(position).build());
            }
            redactLateEdits(data, commit);
            commit.replacements().stream().filter(RoomEvent::isDeleted)
                    .forEach(replacement -> data.reactions.remove(replacement.id()));
            RoomEvent stored = event.toBuilder().index(data.events.size()).build();
            data.positions.put(stored.id(), data.events.size());
            data.events.add(stored);
            if (key != null) {
                data.idempotencyKeys.put(key, stored.id());
            }
            String target = stored.targetEventId();
            if (stored.type() == EventType.EDIT && target != null) {
                data.editsByTarget.computeIfAbsent(target, ignored -> new ArrayList<>()).add(stored.id());
            }
            if (stored.parentEventId() != null) {
                data.repliesByRoot.computeIfAbsent(stored.parentEventId(), ignored -> new ArrayList<>())
                        .add((int) stored.index());
            }
            return stored;
        }
    }

    /** The EDITs of a message being deleted that the commit's replacements do not cover get its tombstone too. */
    private static void redactLateEdits(RoomData data, EventCommit commit) {
        Set<String> replaced = new HashSet<>();
        commit.replacements().forEach(replacement -> replaced.add(replacement.id()));
        for (RoomEvent replacement : commit.replacements()) {
            if (!replacement.isDeleted()) {
                continue;
            }
            for (String editId : data.editsByTarget.getOrDefault(replacement.id(), List.of())) {
                int position = data.positions.get(editId);
                RoomEvent edit = data.events.get(position);
                if (!replaced.contains(editId) && edit.content() instanceof EditContent content) {
                    data.events.set(position, edit.toBuilder().content(content.redactedWith(replacement.content()))
                            .build());
                }
            }
        }
    }

    @Override
    public Optional<RoomEvent> getEvent(String roomId, String eventId) {
        return readRoom(roomId, data -> Optional.ofNullable(data.positions.get(eventId)).map(data.events::get),
                Optional.empty());
    }

    @Override
    public Optional<RoomEvent> findByIdempotencyKey(String roomId, String idempotencyKey) {
        return readRoom(roomId, data -> Optional.ofNullable(data.idempotencyKeys.get(idempotencyKey))
                .map(id -> data.events.get(data.positions.get(id))), Optional.empty());
    }

    @Override
    public List<RoomEvent> listEvents(String roomId, EventQuery query) {
        return readRoom(roomId, data -> query.threadRootId() == null ? page(data.events, query)
                : threadPage(data, query), List.of());
    }

    /** A thread's page from its replies' positions, without reading the rest of the room. */
    private static List<RoomEvent> threadPage(RoomData data, EventQuery query) {
        List<RoomEvent> replies = new ArrayList<>();
        for (int position : data.repliesByRoot.getOrDefault(query.threadRootId(), List.of())) {
            replies.add(data.events.get(position));
        }
        return page(replies, query, false);
    }

    @Override
    public Map<String, ThreadSummary> threadSummaries(String roomId, Collection<String> rootEventIds) {
        return readRoom(roomId, data -> {
            Map<String, ThreadSummary> summaries = new LinkedHashMap<>();
            for (String root : rootEventIds) {
                ThreadReplies replies = new ThreadReplies();
                data.repliesByRoot.getOrDefault(root, List.of()).forEach(position -> replies.add(data.events.get(position)));
                replies.summary().ifPresent(summary -> summaries.put(root, summary));
            }
            return summaries;
        }, Map.of());
    }

    /** Positions equal indices (gapless, from 0), so the cursor bounds are list positions. */
    private static List<RoomEvent> page(List<RoomEvent> events, EventQuery query) {
        return page(events, query, true);
    }

    /**
     * The page of {@code events} (ascending by index); when {@code positionIsIndex}, the cursors are used as list
     * positions to skip ahead, otherwise every event is matched against them.
     */
    private static List<RoomEvent> page(List<RoomEvent> events, EventQuery query, boolean positionIsIndex) {
        List<RoomEvent> page = new ArrayList<>();
        if (!positionIsIndex) {
            List<RoomEvent> matching = events.stream().filter(query::matches).toList();
            int from = query.fromNewest() ? Math.max(0, matching.size() - query.limit()) : 0;
            return new ArrayList<>(matching.subList(from, Math.min(matching.size(), from + query.limit())));
        }
        if (query.fromNewest()) {
            long end = query.beforeIndex() == null ? events.size() : Math.min(query.beforeIndex(), events.size());
            for (int i = (int) end - 1; i >= 0 && page.size() < query.limit(); i--) {
                if (query.matches(events.get(i))) {
                    page.add(events.get(i));
                }
            }
            Collections.reverse(page);
        }
        else {
            long start = Math.max(0, query.afterIndex() + 1);
            for (long i = start; i < events.size() && page.size() < query.limit(); i++) {
                if (query.matches(events.get((int) i))) {
                    page.add(events.get((int) i));
                }
            }
        }
        return page;
    }

    // ---- reactions ---------------------------------------------------------------------------------

    @Override
    public boolean addReaction(Reaction reaction) {
        return withRoom(reaction.roomId(), data -> {
            Integer position = data.positions.get(reaction.eventId());
            if (position == null) {
                throw new EventNotFoundException(reaction.roomId(), reaction.eventId());
            }
            if (data.events.get(position).isDeleted()) {
                throw new RoomKitException(ErrorCodes.TARGET_DELETED, "Event '" + reaction.eventId() + "' of room '"
                        + reaction.roomId() + "' is deleted and takes no reactions");
            }
            return data.reactions.computeIfAbsent(reaction.eventId(), id -> new LinkedHashMap<>())
                    .computeIfAbsent(reaction.emoji(), emoji -> new LinkedHashSet<>()).add(reaction.userId());
        });
    }

    @Override
    public boolean removeReaction(String roomId, String eventId, String userId, String emoji) {
        return readRoom(roomId, data -> {
            Map<String, Set<String>> byEmoji = data.reactions.get(eventId);
            Set<String> users = byEmoji == null ? null : byEmoji.get(emoji);
            if (users == null || !users.remove(userId)) {
                return false;
            }
            if (users.isEmpty()) {
                byEmoji.remove(emoji);
            }
            if (byEmoji.isEmpty()) {
                data.reactions.remove(eventId);
            }
            return true;
        }, false);
    }

    @Override
    public Map<String, Map<String, ReactionSummary>> reactionSummaries(String roomId, Collection<String> eventIds) {
        return readRoom(roomId, data -> {
            Map<String, Map<String, ReactionSummary>> summaries = new LinkedHashMap<>();
            for (String eventId : eventIds) {
                Map<String, Set<String>> byEmoji = data.reactions.get(eventId);
                if (byEmoji != null) {
                    Map<String, ReactionSummary> summary = new LinkedHashMap<>();
                    byEmoji.forEach((emoji, users) -> summary.put(emoji, new ReactionSummary(users.size(),
                            users.stream().limit(ReactionSummary.MAX_USERS).toList())));
                    summaries.put(eventId, summary);
                }
            }
            return summaries;
        }, Map.of());
    }

    @Override
    public List<RoomEvent> listEdits(String roomId, String eventId) {
        return readRoom(roomId, data -> data.editsByTarget.getOrDefault(eventId, List.of()).stream()
                .map(id -> data.events.get(data.positions.get(id))).toList(), List.of());
    }

    @Override
    public OptionalLong latestIndex(String roomId) {
        return readRoom(roomId, data -> data.events.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(data.events.size() - 1), OptionalLong.empty());
    }

    @Override
    public long countEvents(String roomId) {
        return readRoom(roomId, data -> (long) data.events.size(), 0L);
    }

    // ---- read state --------------------------------------------------------------------------------

    @Override
    public long advanceReadMarker(String roomId, String channelId, long index) {
        return withRoom(roomId, data -> data.readMarkers.merge(channelId, index, Math::max));
    }

    @Override
    public OptionalLong readMarker(String roomId, String channelId) {
        return readRoom(roomId, data -> {
            Long marker = data.readMarkers.get(channelId);
            return marker == null ? OptionalLong.empty() : OptionalLong.of(marker);
        }, OptionalLong.empty());
    }

    @Override
    public Map<String, Long> readMarkers(String roomId) {
        return readRoom(roomId, data -> Map.copyOf(data.readMarkers), Map.of());
    }

    @Override
    public long countUnread(String roomId, String channelId) {
        return readRoom(roomId, data -> {
            long from = data.readMarkers.getOrDefault(channelId, -1L) + 1;
            long unread = 0;
            for (long i = from; i < data.events.size(); i++) {
                if (countsAsUnread(data.events.get((int) i), channelId)) {
                    unread++;
                }
            }
            return unread;
        }, 0L);
    }

    @Override
    public long countUnreadMentions(String roomId, String channelId, String userId) {
        return readRoom(roomId, data -> {
            long from = data.readMarkers.getOrDefault(channelId, -1L) + 1;
            long mentions = 0;
            for (long i = from; i < data.events.size(); i++) {
                RoomEvent event = data.events.get((int) i);
                if (countsAsUnread(event, channelId) && event.mentions(userId)) {
                    mentions++;
                }
            }
            return mentions;
        }, 0L);
    }

    @Override
    public List<String> findRoomIdsByParticipant(String participantId, int limit) {
        return rooms.values().stream().filter(data -> readRoom(data.room.id(), room -> !room.deleted
                && room.participants.containsKey(participantId) && room.participants.get(participantId).isActive(),
                false)).sorted(Comparator.comparingLong(data -> data.sequence)).limit(limit)
                .map(data -> data.room.id()).toList();
    }

    /** The unread rule of {@link ConversationStore#countUnread}, for stores that filter in memory. */
    public static boolean countsAsUnread(RoomEvent event, String readerChannelId) {
        return event.type() == EventType.MESSAGE && !event.isDeleted() && event.status() != EventStatus.BLOCKED
                && !event.source().channelId().equals(readerChannelId);
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private RoomData requireRoom(String roomId) {
        RoomData data = rooms.get(roomId);
        if (data == null) {
            throw new RoomNotFoundException(roomId);
        }
        return data;
    }

    private Room currentRoom(RoomData data) {
        synchronized (data) {
            return data.room;
        }
    }

    /** Runs {@code action} under the room's monitor; {@code room_not_found} if the room does not exist. */
    private <T> T withRoom(String roomId, Function<RoomData, T> action) {
        RoomData data = requireRoom(roomId);
        synchronized (data) {
            if (data.deleted) {
                throw new RoomNotFoundException(roomId);
            }
            return action.apply(data);
        }
    }

    /** Runs {@code read} under the room's monitor, or returns {@code absent} if the room does not exist. */
    private <T> T readRoom(String roomId, Function<RoomData, T> read, T absent) {
        RoomData data = rooms.get(roomId);
        if (data == null) {
            return absent;
        }
        synchronized (data) {
            return read.apply(data);
        }
    }

    /** Everything stored for one room; guarded by its own monitor. */
    private static final class RoomData {

        private final long sequence;
        private Room room;
        private boolean deleted;
        private final Map<String, ChannelBinding> bindings = new LinkedHashMap<>();
        private final Map<String, Participant> participants = new LinkedHashMap<>();
        private final Map<String, Ban> bans = new LinkedHashMap<>();
        private final List<RoomEvent> events = new ArrayList<>();
        private final Map<String, Integer> positions = new HashMap<>();
        private final Map<String, String> idempotencyKeys = new HashMap<>();
        private final Map<String, List<String>> editsByTarget = new HashMap<>();
        /** Users by emoji by event, in the order they reacted. */
        private final Map<String, Map<String, Set<String>>> reactions = new HashMap<>();
        /** Positions of each thread's replies, ascending. */
        private final Map<String, List<Integer>> repliesByRoot = new HashMap<>();
        private final Map<String, Long> readMarkers = new HashMap<>();

        private RoomData(Room room, long sequence) {
            this.room = room;
            this.sequence = sequence;
        }
    }
}
