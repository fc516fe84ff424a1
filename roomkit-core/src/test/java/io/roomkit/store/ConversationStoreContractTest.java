package io.roomkit.store;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import io.roomkit.model.AudioContent;
import io.roomkit.model.Ban;
import io.roomkit.model.ChannelAccess;
import io.roomkit.model.ChannelBinding;
import io.roomkit.model.ChannelCategory;
import io.roomkit.model.ChannelType;
import io.roomkit.model.CompositeContent;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.DeleteType;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventContent;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventSource;
import io.roomkit.model.EventStatus;
import io.roomkit.model.EventType;
import io.roomkit.model.LocationContent;
import io.roomkit.model.MediaContent;
import io.roomkit.model.Participant;
import io.roomkit.model.Reaction;
import io.roomkit.model.ReactionSummary;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.ParticipantStatus;
import io.roomkit.model.RichContent;
import io.roomkit.model.Room;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.RoomStatus;
import io.roomkit.model.SystemContent;
import io.roomkit.model.TemplateContent;
import io.roomkit.model.TextContent;
import io.roomkit.model.ThreadSummary;
import io.roomkit.model.ToolCallContent;
import io.roomkit.model.VideoContent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link ConversationStore}. Every implementation extends this class (from another module through
 * the roomkit-core test-jar) and implements {@link #createStore()}. Test methods are grouped by name prefix:
 * {@code room}, {@code binding}, {@code participant}, {@code commit}, {@code concurrent}, {@code read},
 * {@code readMarker} and {@code unread}.
 */
public abstract class ConversationStoreContractTest {

    private static final long CONCURRENCY_TIMEOUT_SECONDS = 60;

    protected ConversationStore store;

    /** A new, empty store; called before each test. The store is closed after the test. */
    protected abstract ConversationStore createStore();

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- rooms -------------------------------------------------------------------------------------

    @Test
    void roomCreatedCanBeRead() {
        Room room = new Room("room-1", RoomStatus.PAUSED, Map.of("topic", "billing", "priority", 2),
                Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("2026-01-02T04:05:06.654321Z"), null);

        Room created = store.createRoom(room);

        assertThat(created).isEqualTo(room);
        assertThat(store.getRoom("room-1")).contains(room);
    }

    @Test
    void roomUnknownIsEmpty() {
        assertThat(store.getRoom("nope")).isEmpty();
    }

    @Test
    void roomCreateWithTakenIdFailsWithRoomExists() {
        store.createRoom(Room.create("room-1").withMetadata(Map.of("v", 1)));

        assertFailsWithCode(() -> store.createRoom(Room.create("room-1").withMetadata(Map.of("v", 2))),
                ErrorCodes.ROOM_EXISTS);
        assertThat(store.getRoom("room-1").orElseThrow().metadata()).containsEntry("v", 1);
    }

    @Test
    void roomUpdateReplacesStatusMetadataAndTimestamps() {
        Room original = store.createRoom(Room.create("room-1"));
        Room closed = new Room("room-1", RoomStatus.CLOSED, Map.of("closed_by", "alice"), original.createdAt(),
                Instant.parse("2030-05-06T07:08:09.000001Z"), Instant.parse("2030-05-06T07:08:09.000001Z"));

        Room updated = store.updateRoom(closed);

        assertThat(updated).isEqualTo(closed);
        assertThat(store.getRoom("room-1")).contains(closed);
    }

    @Test
    void roomUpdateOfUnknownRoomFailsWithRoomNotFound() {
        assertFailsWithCode(() -> store.updateRoom(Room.create("nope")), ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.getRoom("nope")).isEmpty();
    }

    @Test
    void roomListIsInCreationOrder() {
        List<String> ids = List.of("room-c", "room-a", "room-e", "room-b", "room-d");
        ids.forEach(this::createRoom);

        assertThat(store.listRooms(0, 100)).extracting(Room::id).containsExactlyElementsOf(ids);
    }

    @Test
    void roomListAppliesOffsetAndLimit() {
        List.of("room-c", "room-a", "room-e", "room-b", "room-d").forEach(this::createRoom);

        assertThat(store.listRooms(1, 3)).extracting(Room::id).containsExactly("room-a", "room-e", "room-b");
        assertThat(store.listRooms(4, 10)).extracting(Room::id).containsExactly("room-d");
        assertThat(store.listRooms(5, 10)).isEmpty();
    }

    @Test
    void roomListKeepsCreationOrderAfterUpdates() {
        List.of("room-b", "room-a", "room-c").forEach(this::createRoom);

        store.updateRoom(store.getRoom("room-b").orElseThrow().withStatus(RoomStatus.CLOSED));

        assertThat(store.listRooms(0, 10)).extracting(Room::id).containsExactly("room-b", "room-a", "room-c");
        assertThat(store.listRooms(0, 1).get(0).status()).isEqualTo(RoomStatus.CLOSED);
    }

    @Test
    void roomDeleteReturnsWhetherItExisted() {
        createRoom("room-1");

        assertThat(store.deleteRoom("room-1")).isTrue();
        assertThat(store.deleteRoom("room-1")).isFalse();
        assertThat(store.deleteRoom("never")).isFalse();
        assertThat(store.getRoom("room-1")).isEmpty();
        assertThat(store.listRooms(0, 10)).isEmpty();
    }

    @Test
    void roomDeleteRemovesEverythingInIt() {
        createRoom("room-1");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveParticipant(participant("room-1", "alice"));
        RoomEvent first = commit(message("room-1", "ch-a", "alice", "hello"));
        store.commit(EventCommit.of(message("room-1", "ch-a", "alice", "again").toBuilder()
                .idempotencyKey("key-1").build()));
        store.advanceReadMarker("room-1", "ch-a", 1);

        store.deleteRoom("room-1");

        assertThat(store.listBindings("room-1")).isEmpty();
        assertThat(store.getBinding("room-1", "ch-a")).isEmpty();
        assertThat(store.listParticipants("room-1")).isEmpty();
        assertThat(store.getParticipant("room-1", "alice")).isEmpty();
        assertThat(store.getEvent("room-1", first.id())).isEmpty();
        assertThat(store.findByIdempotencyKey("room-1", "key-1")).isEmpty();
        assertThat(store.countEvents("room-1")).isZero();
        assertThat(store.readMarkers("room-1")).isEmpty();
        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).isEmpty();
    }

    @Test
    void roomRecreatedAfterDeleteStartsEmpty() {
        createRoom("room-1");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveParticipant(participant("room-1", "alice"));
        RoomEvent old = commit(message("room-1", "ch-a", "alice", "hello"));
        commit(edit("room-1", "ch-a", "alice", old.id(), "hello!"));
        store.commit(EventCommit.of(message("room-1", "ch-a", "alice", "keyed").toBuilder()
                .idempotencyKey("key-1").build()));
        store.advanceReadMarker("room-1", "ch-a", 2);
        store.deleteRoom("room-1");

        createRoom("room-1");

        assertThat(store.listBindings("room-1")).isEmpty();
        assertThat(store.listParticipants("room-1")).isEmpty();
        assertThat(store.countEvents("room-1")).isZero();
        assertThat(store.latestIndex("room-1")).isEmpty();
        assertThat(store.getEvent("room-1", old.id())).isEmpty();
        assertThat(store.listEdits("room-1", old.id())).isEmpty();
        assertThat(store.findByIdempotencyKey("room-1", "key-1")).isEmpty();
        assertThat(store.readMarker("room-1", "ch-a")).isEmpty();
        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).isEmpty();
        assertThat(commit(message("room-1", "ch-a", "alice", "fresh")).index()).isZero();
        assertThat(store.commit(EventCommit.of(message("room-1", "ch-a", "alice", "keyed again").toBuilder()
                .idempotencyKey("key-1").build())).index()).isEqualTo(1);
    }

    @Test
    void roomWithBindingsReadsBothInAttachOrder() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveBinding(binding("room-1", "ch-b"));
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveBinding(binding("room-2", "ch-c"));

        RoomWithBindings state = store.getRoomWithBindings("room-1").orElseThrow();

        assertThat(state.room()).isEqualTo(store.getRoom("room-1").orElseThrow());
        assertThat(state.bindings()).isEqualTo(store.listBindings("room-1"))
                .extracting(ChannelBinding::channelId).containsExactly("ch-b", "ch-a");
    }

    @Test
    void roomWithoutBindingsHasAnEmptyListAndAMissingRoomIsEmpty() {
        createRoom("room-1");

        assertThat(store.getRoomWithBindings("room-1")).hasValueSatisfying(state -> {
            assertThat(state.room().id()).isEqualTo("room-1");
            assertThat(state.bindings()).isEmpty();
        });
        assertThat(store.getRoomWithBindings("no-such-room")).isEmpty();
    }

    @Test
    void roomDeleteLeavesOtherRoomsAlone() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveBinding(binding("room-2", "ch-a"));
        store.saveParticipant(participant("room-2", "alice"));
        RoomEvent kept = commit(message("room-2", "ch-a", "alice", "stay"));
        store.advanceReadMarker("room-2", "ch-a", 0);

        store.deleteRoom("room-1");

        assertThat(store.getRoom("room-2")).isPresent();
        assertThat(store.listBindings("room-2")).hasSize(1);
        assertThat(store.listParticipants("room-2")).hasSize(1);
        assertThat(store.getEvent("room-2", kept.id())).contains(kept);
        assertThat(store.readMarker("room-2", "ch-a")).hasValue(0);
        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).containsExactly("room-2");
    }

    @Test
    void roomFindByChannelReturnsBoundRoomsOldestFirst() {
        List.of("room-c", "room-a", "room-b", "room-x").forEach(this::createRoom);
        store.saveBinding(binding("room-b", "ch-a"));
        store.saveBinding(binding("room-c", "ch-a"));
        store.saveBinding(binding("room-a", "ch-a"));
        store.saveBinding(binding("room-x", "ch-other"));

        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).containsExactly("room-c", "room-a", "room-b");
    }

    @Test
    void roomFindByChannelFiltersByStatus() {
        List.of("room-1", "room-2", "room-3", "room-4").forEach(this::createRoom);
        List.of("room-1", "room-2", "room-3", "room-4").forEach(id -> store.saveBinding(binding(id, "ch-a")));
        store.updateRoom(store.getRoom("room-2").orElseThrow().withStatus(RoomStatus.CLOSED));
        store.updateRoom(store.getRoom("room-4").orElseThrow().withStatus(RoomStatus.ARCHIVED));

        assertThat(store.findRoomIdsByChannel("ch-a", RoomStatus.ACTIVE, 10)).containsExactly("room-1", "room-3");
        assertThat(store.findRoomIdsByChannel("ch-a", RoomStatus.CLOSED, 10)).containsExactly("room-2");
        assertThat(store.findRoomIdsByChannel("ch-a", RoomStatus.PAUSED, 10)).isEmpty();
        assertThat(store.findRoomIdsByChannel("ch-a", null, 10))
                .containsExactly("room-1", "room-2", "room-3", "room-4");
    }

    @Test
    void roomFindByChannelAppliesLimitAfterTheStatusFilter() {
        List.of("room-1", "room-2", "room-3", "room-4").forEach(this::createRoom);
        List.of("room-1", "room-2", "room-3", "room-4").forEach(id -> store.saveBinding(binding(id, "ch-a")));
        store.updateRoom(store.getRoom("room-1").orElseThrow().withStatus(RoomStatus.CLOSED));

        assertThat(store.findRoomIdsByChannel("ch-a", RoomStatus.ACTIVE, 2)).containsExactly("room-2", "room-3");
        assertThat(store.findRoomIdsByChannel("ch-a", null, 1)).containsExactly("room-1");
    }

    @Test
    void roomFindByChannelForgetsRemovedBindings() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveBinding(binding("room-2", "ch-a"));

        store.removeBinding("room-1", "ch-a");

        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).containsExactly("room-2");
        assertThat(store.findRoomIdsByChannel("ch-unknown", null, 10)).isEmpty();
    }

    // ---- bindings ----------------------------------------------------------------------------------

    @Test
    void bindingSavedCanBeRead() {
        createRoom("room-1");
        ChannelBinding binding = new ChannelBinding("room-1", "ch-a", ChannelType.SMS, ChannelCategory.TRANSPORT,
                ChannelAccess.READ_ONLY, true, "alice", Instant.parse("2026-03-04T05:06:07.890123Z"),
                Map.of("phone", "+15550100", "flags", List.of("a", "b")));

        assertThat(store.saveBinding(binding)).isEqualTo(binding);
        assertThat(store.getBinding("room-1", "ch-a")).contains(binding);
    }

    @Test
    void bindingUnknownIsEmpty() {
        createRoom("room-1");

        assertThat(store.getBinding("room-1", "ch-a")).isEmpty();
        assertThat(store.getBinding("nope", "ch-a")).isEmpty();
        assertThat(store.listBindings("room-1")).isEmpty();
    }

    @Test
    void bindingSaveReplacesTheBindingOfTheSameChannel() {
        createRoom("room-1");
        ChannelBinding original = store.saveBinding(binding("room-1", "ch-a"));

        ChannelBinding muted = store.saveBinding(original.withMuted(true).withAccess(ChannelAccess.WRITE_ONLY));

        assertThat(store.getBinding("room-1", "ch-a")).contains(muted);
        assertThat(store.listBindings("room-1")).containsExactly(muted);
    }

    @Test
    void bindingListIsInAttachOrder() {
        createRoom("room-1");
        List.of("ch-c", "ch-a", "ch-b").forEach(id -> store.saveBinding(binding("room-1", id)));

        assertThat(store.listBindings("room-1")).extracting(ChannelBinding::channelId)
                .containsExactly("ch-c", "ch-a", "ch-b");
    }

    @Test
    void bindingUpdateKeepsItsPlaceInAttachOrder() {
        createRoom("room-1");
        List.of("ch-c", "ch-a", "ch-b").forEach(id -> store.saveBinding(binding("room-1", id)));

        store.saveBinding(store.getBinding("room-1", "ch-c").orElseThrow().withMuted(true));

        assertThat(store.listBindings("room-1")).extracting(ChannelBinding::channelId)
                .containsExactly("ch-c", "ch-a", "ch-b");
        assertThat(store.listBindings("room-1").get(0).muted()).isTrue();
    }

    @Test
    void bindingListIsPerRoom() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveBinding(binding("room-2", "ch-b"));

        assertThat(store.listBindings("room-1")).extracting(ChannelBinding::channelId).containsExactly("ch-a");
        assertThat(store.getBinding("room-2", "ch-a")).isEmpty();
    }

    @Test
    void bindingRemoveReturnsWhetherItExisted() {
        createRoom("room-1");
        store.saveBinding(binding("room-1", "ch-a"));
        store.saveBinding(binding("room-1", "ch-b"));

        assertThat(store.removeBinding("room-1", "ch-a")).isTrue();
        assertThat(store.removeBinding("room-1", "ch-a")).isFalse();
        assertThat(store.removeBinding("nope", "ch-b")).isFalse();
        assertThat(store.getBinding("room-1", "ch-a")).isEmpty();
        assertThat(store.listBindings("room-1")).extracting(ChannelBinding::channelId).containsExactly("ch-b");
    }

    @Test
    void bindingSaveForUnknownRoomFailsWithRoomNotFound() {
        assertFailsWithCode(() -> store.saveBinding(binding("nope", "ch-a")), ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.getRoom("nope")).isEmpty();
        assertThat(store.findRoomIdsByChannel("ch-a", null, 10)).isEmpty();
    }

    // ---- participants ------------------------------------------------------------------------------

    @Test
    void participantSavedCanBeRead() {
        createRoom("room-1");
        Participant alice = new Participant("room-1", "alice", "ws-alice", "Alice", ParticipantRole.OWNER,
                ParticipantStatus.INACTIVE, Instant.parse("2026-03-04T05:06:07.000009Z"),
                Map.of("avatar", "a.png", "prefs", Map.of("dark", true)));

        assertThat(store.saveParticipant(alice)).isEqualTo(alice);
        assertThat(store.getParticipant("room-1", "alice")).contains(alice);
    }

    @Test
    void participantUnknownIsEmpty() {
        createRoom("room-1");

        assertThat(store.getParticipant("room-1", "alice")).isEmpty();
        assertThat(store.getParticipant("nope", "alice")).isEmpty();
        assertThat(store.listParticipants("room-1")).isEmpty();
    }

    @Test
    void participantSaveReplacesTheParticipantWithTheSameId() {
        createRoom("room-1");
        store.saveParticipant(participant("room-1", "alice"));

        Participant owner = store.saveParticipant(Participant.of("room-1", "alice", ParticipantRole.OWNER));

        assertThat(store.getParticipant("room-1", "alice")).contains(owner);
        assertThat(store.listParticipants("room-1")).containsExactly(owner);
    }

    @Test
    void participantListIsInJoinOrder() {
        createRoom("room-1");
        List.of("carol", "alice", "bob").forEach(id -> store.saveParticipant(participant("room-1", id)));

        assertThat(store.listParticipants("room-1")).extracting(Participant::id)
                .containsExactly("carol", "alice", "bob");
    }

    @Test
    void participantUpdateKeepsItsPlaceInJoinOrder() {
        createRoom("room-1");
        List.of("carol", "alice", "bob").forEach(id -> store.saveParticipant(participant("room-1", id)));

        store.saveParticipant(Participant.of("room-1", "carol", ParticipantRole.OWNER));

        assertThat(store.listParticipants("room-1")).extracting(Participant::id)
                .containsExactly("carol", "alice", "bob");
        assertThat(store.listParticipants("room-1").get(0).role()).isEqualTo(ParticipantRole.OWNER);
    }

    @Test
    void participantListIsPerRoom() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveParticipant(participant("room-1", "alice"));
        store.saveParticipant(participant("room-2", "bob"));

        assertThat(store.listParticipants("room-1")).extracting(Participant::id).containsExactly("alice");
        assertThat(store.getParticipant("room-2", "alice")).isEmpty();
    }

    @Test
    void participantRemoveReturnsWhetherItExisted() {
        createRoom("room-1");
        store.saveParticipant(participant("room-1", "alice"));
        store.saveParticipant(participant("room-1", "bob"));

        assertThat(store.removeParticipant("room-1", "alice")).isTrue();
        assertThat(store.removeParticipant("room-1", "alice")).isFalse();
        assertThat(store.removeParticipant("nope", "bob")).isFalse();
        assertThat(store.getParticipant("room-1", "alice")).isEmpty();
        assertThat(store.listParticipants("room-1")).extracting(Participant::id).containsExactly("bob");
    }

    @Test
    void participantSaveForUnknownRoomFailsWithRoomNotFound() {
        assertFailsWithCode(() -> store.saveParticipant(participant("nope", "alice")), ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.getRoom("nope")).isEmpty();
    }

    // ---- bans --------------------------------------------------------------------------------------

    @Test
    void banSavedCanBeReadAndRemovesTheParticipant() {
        createRoom("room-1");
        store.saveParticipant(participant("room-1", "alice"));
        store.saveParticipant(participant("room-1", "bob"));
        Ban ban = new Ban("room-1", "alice", "spam", "bob", Instant.parse("2026-03-04T05:06:07.000009Z"));

        assertThat(store.saveBan(ban)).isEqualTo(ban);

        assertThat(store.getBan("room-1", "alice")).contains(ban);
        assertThat(store.listBans("room-1")).containsExactly(ban);
        assertThat(store.getParticipant("room-1", "alice")).isEmpty();
        assertThat(store.listParticipants("room-1")).extracting(Participant::id).containsExactly("bob");
    }

    @Test
    void banOfSomeoneWhoIsNoParticipantIsKept() {
        createRoom("room-1");

        store.saveBan(Ban.of("room-1", "mallory", null, null));

        assertThat(store.getBan("room-1", "mallory")).hasValueSatisfying(ban -> {
            assertThat(ban.reason()).isNull();
            assertThat(ban.bannedBy()).isNull();
        });
        assertThat(store.listParticipants("room-1")).isEmpty();
    }

    @Test
    void banSavedAgainReplacesTheReasonAndKeepsItsPlace() {
        createRoom("room-1");
        store.saveBan(Ban.of("room-1", "alice", "spam", "owner"));
        store.saveBan(Ban.of("room-1", "bob", "flood", "owner"));

        Ban again = store.saveBan(Ban.of("room-1", "alice", "spam again", "owner-2"));

        assertThat(store.getBan("room-1", "alice")).contains(again);
        assertThat(store.listBans("room-1")).extracting(Ban::participantId).containsExactly("alice", "bob");
    }

    @Test
    void banIsPerRoom() {
        createRoom("room-1");
        createRoom("room-2");
        store.saveParticipant(participant("room-2", "alice"));

        store.saveBan(Ban.of("room-1", "alice", null, null));

        assertThat(store.getBan("room-2", "alice")).isEmpty();
        assertThat(store.listBans("room-2")).isEmpty();
        assertThat(store.getParticipant("room-2", "alice")).isPresent();
    }

    @Test
    void banRemoveReturnsWhetherItExistedAndLeavesNoParticipant() {
        createRoom("room-1");
        store.saveParticipant(participant("room-1", "alice"));
        store.saveBan(Ban.of("room-1", "alice", null, null));

        assertThat(store.removeBan("room-1", "alice")).isTrue();
        assertThat(store.removeBan("room-1", "alice")).isFalse();
        assertThat(store.removeBan("nope", "alice")).isFalse();
        assertThat(store.getBan("room-1", "alice")).isEmpty();
        assertThat(store.getParticipant("room-1", "alice")).isEmpty();
    }

    @Test
    void banOfUnknownRoomFailsWithRoomNotFoundAndReadsAreEmpty() {
        assertFailsWithCode(() -> store.saveBan(Ban.of("nope", "alice", null, null)), ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.getBan("nope", "alice")).isEmpty();
        assertThat(store.listBans("nope")).isEmpty();
    }

    @Test
    void banGoesWithItsRoom() {
        createRoom("room-1");
        store.saveBan(Ban.of("room-1", "alice", null, null));

        store.deleteRoom("room-1");
        createRoom("room-1");

        assertThat(store.getBan("room-1", "alice")).isEmpty();
    }

    // ---- commit and index --------------------------------------------------------------------------

    @Test
    void commitGivesTheFirstEventIndexZero() {
        createRoom("room-1");

        RoomEvent stored = commit(message("room-1", "ch-a", "alice", "hello"));

        assertThat(stored.index()).isZero();
        assertThat(store.getEvent("room-1", stored.id())).contains(stored);
    }

    @Test
    void commitAssignsGaplessIncreasingIndices() {
        createRoom("room-1");

        List<RoomEvent> stored = commitMessages("room-1", 5);

        assertThat(stored).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(store.listEvents("room-1", EventQuery.latest(10))).extracting(RoomEvent::index)
                .containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void commitIgnoresTheIndexOfTheDraft() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "first"));

        RoomEvent stored = commit(message("room-1", "ch-a", "alice", "second").toBuilder().index(42).build());

        assertThat(stored.index()).isEqualTo(1);
        assertThat(store.getEvent("room-1", stored.id()).orElseThrow().index()).isEqualTo(1);
        assertThat(store.latestIndex("room-1")).hasValue(1);
    }

    @Test
    void commitReturnsTheDraftWithItsIndex() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "first"));
        RoomEvent draft = message("room-1", "ch-a", "alice", "second");

        RoomEvent stored = commit(draft);

        assertThat(stored).isEqualTo(draft.toBuilder().index(1).build());
    }

    @Test
    void commitCountsBlockedAndNonMessageEventsInTheIndex() {
        createRoom("room-1");

        RoomEvent blocked = commit(message("room-1", "ch-a", "alice", "spam").toBuilder()
                .status(EventStatus.BLOCKED).blockedBy("spam_filter").build());
        RoomEvent notice = commit(systemEvent("room-1", "welcome"));
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "hi"));

        assertThat(List.of(blocked, notice, message)).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L);
    }

    @Test
    void commitAppliesReplacementsWithTheNewEvent() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "helo"));
        commit(message("room-1", "ch-b", "bob", "hi"));
        RoomEvent replacement = target.toBuilder().content(new TextContent("hello"))
                .putMetadata("edited", true).build();

        RoomEvent edit = store.commit(new EventCommit(edit("room-1", "ch-a", "alice", target.id(), "hello"),
                List.of(replacement)));

        assertThat(edit.index()).isEqualTo(2);
        RoomEvent updated = store.getEvent("room-1", target.id()).orElseThrow();
        assertThat(updated).isEqualTo(replacement);
        assertThat(updated.index()).isZero();
        assertThat(store.listEvents("room-1", EventQuery.latest(10)).get(0)).isEqualTo(replacement);
        assertThat(store.countEvents("room-1")).isEqualTo(3);
    }

    @Test
    void commitKeepsTheIndexOfAReplacedEventWhateverTheReplacementSays() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "first"));
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "second"));
        RoomEvent replacement = target.toBuilder().index(99).content(new TextContent("second!")).build();

        store.commit(new EventCommit(edit("room-1", "ch-a", "alice", target.id(), "second!"), List.of(replacement)));

        RoomEvent updated = store.getEvent("room-1", target.id()).orElseThrow();
        assertThat(updated.index()).isEqualTo(1);
        assertThat(updated.content()).isEqualTo(new TextContent("second!"));
        assertThat(store.listEvents("room-1", EventQuery.after(0, 1))).extracting(RoomEvent::id)
                .containsExactly(target.id());
    }

    @Test
    void commitToAClosedOrArchivedRoomIsRefusedWithRoomClosedAndWritesNothing() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "before"));
        for (RoomStatus status : List.of(RoomStatus.CLOSED, RoomStatus.ARCHIVED)) {
            store.updateRoom(store.getRoom("room-1").orElseThrow().withStatus(status));

            assertFailsWithCode(() -> store.commit(EventCommit.of(message("room-1", "ch-a", "alice", "after"))),
                    ErrorCodes.ROOM_CLOSED);
            assertThat(store.countEvents("room-1")).isEqualTo(1);
        }
        store.updateRoom(store.getRoom("room-1").orElseThrow().withStatus(RoomStatus.PAUSED));
        assertThat(commit(message("room-1", "ch-a", "alice", "paused rooms take events")).index()).isEqualTo(1);
    }

    @Test
    void commitReplacingAnAlreadyDeletedEventIsRefusedAndWritesNothing() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "secret"));
        SystemContent tombstone = new SystemContent("This message was deleted", "message_deleted", Map.of());
        RoomEvent deleted = target.toBuilder().content(tombstone).putMetadata("deleted", true).build();
        store.commit(new EventCommit(delete("room-1", "ch-a", "alice", target.id()), List.of(deleted)));

        assertFailsWithCode(() -> store.commit(new EventCommit(edit("room-1", "ch-a", "alice", target.id(), "late"),
                List.of(target.toBuilder().content(new TextContent("late")).build()))), ErrorCodes.TARGET_DELETED);
        assertFailsWithCode(() -> store.commit(new EventCommit(delete("room-1", "ch-a", "alice", target.id()),
                List.of(deleted))), ErrorCodes.ALREADY_DELETED);
        assertThat(store.countEvents("room-1")).isEqualTo(2);
        assertThat(store.getEvent("room-1", target.id()).orElseThrow().content()).isEqualTo(tombstone);
    }

    @Test
    void commitAppliesSeveralReplacements() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "secret"));
        RoomEvent firstEdit = commit(edit("room-1", "ch-a", "alice", target.id(), "secret 2"));
        RoomEvent secondEdit = commit(edit("room-1", "ch-a", "alice", target.id(), "secret 3"));
        SystemContent tombstone = new SystemContent("This message was deleted", "message_deleted", Map.of());
        EditContent redacted = new EditContent(target.id(), tombstone);

        RoomEvent delete = store.commit(new EventCommit(
                delete("room-1", "ch-a", "alice", target.id()),
                List.of(target.toBuilder().content(tombstone).putMetadata("deleted", true).build(),
                        firstEdit.toBuilder().content(redacted).build(),
                        secondEdit.toBuilder().content(redacted).build())));

        assertThat(delete.index()).isEqualTo(3);
        assertThat(store.getEvent("room-1", target.id()).orElseThrow().content()).isEqualTo(tombstone);
        assertThat(store.getEvent("room-1", target.id()).orElseThrow().isDeleted()).isTrue();
        assertThat(store.listEdits("room-1", target.id())).extracting(RoomEvent::content)
                .containsExactly(redacted, redacted);
        assertThat(store.listEdits("room-1", target.id())).extracting(RoomEvent::index).containsExactly(1L, 2L);
    }

    @Test
    void commitWithAnUnknownReplacementWritesNothing() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "original"));
        RoomEvent draft = edit("room-1", "ch-a", "alice", target.id(), "changed");
        RoomEvent known = target.toBuilder().content(new TextContent("changed")).build();
        RoomEvent unknown = message("room-1", "ch-a", "alice", "ghost");

        assertFailsWithCode(() -> store.commit(new EventCommit(draft, List.of(known, unknown))),
                ErrorCodes.EVENT_NOT_FOUND);

        assertThat(store.getEvent("room-1", target.id())).contains(target);
        assertThat(store.getEvent("room-1", draft.id())).isEmpty();
        assertThat(store.getEvent("room-1", unknown.id())).isEmpty();
        assertThat(store.countEvents("room-1")).isEqualTo(1);
        assertThat(store.latestIndex("room-1")).hasValue(0);
        assertThat(store.listEdits("room-1", target.id())).isEmpty();
    }

    @Test
    void commitWithAReplacementOfAnotherRoomsEventWritesNothing() {
        createRoom("room-1");
        createRoom("room-2");
        RoomEvent elsewhere = commit(message("room-2", "ch-a", "alice", "elsewhere"));
        RoomEvent draft = message("room-1", "ch-a", "alice", "here");
        RoomEvent foreign = elsewhere.toBuilder().roomId("room-1").content(new TextContent("hijacked")).build();

        assertFailsWithCode(() -> store.commit(new EventCommit(draft, List.of(foreign))), ErrorCodes.EVENT_NOT_FOUND);

        assertThat(store.countEvents("room-1")).isZero();
        assertThat(store.getEvent("room-1", elsewhere.id())).isEmpty();
        assertThat(store.getEvent("room-2", elsewhere.id())).contains(elsewhere);
    }

    @Test
    void commitAfterAFailedCommitLeavesNoGap() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "first"));
        RoomEvent unknown = message("room-1", "ch-a", "alice", "ghost");
        assertThatThrownBy(() -> store.commit(new EventCommit(message("room-1", "ch-a", "alice", "x"),
                List.of(unknown)))).isInstanceOf(RoomKitException.class);

        assertThat(commit(message("room-1", "ch-a", "alice", "second")).index()).isEqualTo(1);
    }

    @Test
    void commitToUnknownRoomFailsWithRoomNotFound() {
        assertFailsWithCode(() -> store.commit(EventCommit.of(message("nope", "ch-a", "alice", "hello"))),
                ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.getRoom("nope")).isEmpty();
        assertThat(store.countEvents("nope")).isZero();
    }

    @Test
    void commitWithATakenIdempotencyKeyFailsAndWritesNothing() {
        createRoom("room-1");
        RoomEvent original = commit(keyed(message("room-1", "ch-a", "alice", "once"), "key-1"));
        RoomEvent repeat = keyed(message("room-1", "ch-a", "alice", "twice"), "key-1");
        RoomEvent replacement = original.toBuilder().content(new TextContent("overwritten")).build();

        assertFailsWithCode(() -> store.commit(new EventCommit(repeat, List.of(replacement))),
                ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY);

        assertThat(store.countEvents("room-1")).isEqualTo(1);
        assertThat(store.getEvent("room-1", repeat.id())).isEmpty();
        assertThat(store.getEvent("room-1", original.id())).contains(original);
        assertThat(store.findByIdempotencyKey("room-1", "key-1")).contains(original);
        assertThat(commit(message("room-1", "ch-a", "alice", "next")).index()).isEqualTo(1);
    }

    @Test
    void aDeleteCommitRedactsTheEditsItsReplacementsMissed() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "secret"));
        RoomEvent seenEdit = commit(edit("room-1", "ch-a", "alice", message.id(), "still secret"));
        RoomEvent lateEdit = commit(edit("room-1", "ch-a", "alice", message.id(), "very secret"));
        SystemContent tombstone = new SystemContent("deleted", "message_deleted", Map.of());
        RoomEvent deleted = message.toBuilder().content(tombstone).putMetadata("deleted", true).build();
        RoomEvent seenRedacted = seenEdit.toBuilder()
                .content(((EditContent) seenEdit.content()).withNewContent(tombstone)).build();

        store.commit(new EventCommit(delete("room-1", "ch-a", "alice", message.id()), List.of(deleted, seenRedacted)));

        assertThat(store.listEdits("room-1", message.id())).extracting(event -> ((EditContent) event.content())
                .newContent()).containsExactly(tombstone, tombstone);
        assertThat(store.getEvent("room-1", lateEdit.id()).orElseThrow().index()).isEqualTo(lateEdit.index());
    }

    @Test
    void anEditCommitRecordsTheVersionItReplaces() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "v1"));

        RoomEvent first = store.commit(editReplacing(message, "v2"));
        store.commit(editReplacing(message, "v3"));

        assertThat(((EditContent) first.content()).previousContent()).isEqualTo(new TextContent("v1"));
        assertThat(store.listEdits("room-1", message.id())).extracting(event -> (EditContent) event.content())
                .extracting(EditContent::previousContent, EditContent::newContent).containsExactly(
                        tuple(new TextContent("v1"), new TextContent("v2")),
                        tuple(new TextContent("v2"), new TextContent("v3")));
    }

    @Test
    void anEditCommitReplacesWhateverPreviousContentTheWriterClaimed() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "the truth"));
        EventCommit claimed = editReplacing(message, "v2");
        RoomEvent lying = claimed.event().toBuilder()
                .content(((EditContent) claimed.event().content()).replacing(new TextContent("a lie"))).build();

        store.commit(new EventCommit(lying, claimed.replacements()));

        assertThat(((EditContent) store.listEdits("room-1", message.id()).get(0).content()).previousContent())
                .isEqualTo(new TextContent("the truth"));
    }

    @Test
    void deletingAnEditedMessageRedactsEveryVersionOfIt() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "secret"));
        RoomEvent seenEdit = store.commit(editReplacing(message, "still secret"));
        store.commit(editReplacing(message, "very secret"));
        SystemContent tombstone = new SystemContent("deleted", "message_deleted", Map.of());
        RoomEvent deleted = message.toBuilder().content(tombstone).putMetadata("deleted", true).build();
        RoomEvent seenRedacted = seenEdit.toBuilder()
                .content(((EditContent) seenEdit.content()).redactedWith(tombstone)).build();

        store.commit(new EventCommit(delete("room-1", "ch-a", "alice", message.id()), List.of(deleted, seenRedacted)));

        assertThat(store.listEdits("room-1", message.id())).extracting(event -> (EditContent) event.content())
                .extracting(EditContent::previousContent, EditContent::newContent)
                .containsExactly(tuple(tombstone, tombstone), tuple(tombstone, tombstone));
    }

    @Test
    void commitOfAnEventIdThatIsStoredFailsAndWritesNothing() {
        createRoom("room-1");
        RoomEvent original = commit(message("room-1", "ch-a", "alice", "once"));
        RoomEvent sameId = message("room-1", "ch-a", "mallory", "forged").toBuilder().id(original.id()).build();

        assertFailsWithCode(() -> store.commit(EventCommit.of(sameId)), ErrorCodes.EVENT_EXISTS);

        assertThat(store.countEvents("room-1")).isEqualTo(1);
        assertThat(store.getEvent("room-1", original.id())).contains(original);
        assertThat(commit(message("room-1", "ch-a", "alice", "next")).index()).isEqualTo(1);
    }

    @Test
    void commitAcceptsTheSameIdempotencyKeyInAnotherRoom() {
        createRoom("room-1");
        createRoom("room-2");
        RoomEvent first = commit(keyed(message("room-1", "ch-a", "alice", "one"), "key-1"));

        RoomEvent second = commit(keyed(message("room-2", "ch-a", "alice", "two"), "key-1"));

        assertThat(second.index()).isZero();
        assertThat(store.findByIdempotencyKey("room-1", "key-1")).contains(first);
        assertThat(store.findByIdempotencyKey("room-2", "key-1")).contains(second);
    }

    @Test
    void commitAcceptsManyEventsWithoutIdempotencyKey() {
        createRoom("room-1");

        commitMessages("room-1", 3);

        assertThat(store.countEvents("room-1")).isEqualTo(3);
    }

    // ---- commitAll ---------------------------------------------------------------------------------

    @Test
    void commitAllStoresTheBatchInOrderWithConsecutiveIndices() {
        createRoom("room-1");
        commit(message("room-1", "ch-a", "alice", "before"));
        List<RoomEvent> drafts = List.of(message("room-1", "ch-a", "alice", "one"),
                message("room-1", "ch-b", "bob", "two"), message("room-1", "ch-a", "alice", "three"));

        List<CommitOutcome> outcomes = store.commitAll(drafts.stream().map(EventCommit::of).toList());

        assertThat(outcomes).extracting(CommitOutcome::stored).extracting(RoomEvent::index).containsExactly(1L, 2L, 3L);
        for (int i = 0; i < drafts.size(); i++) {
            assertThat(outcomes.get(i).stored()).isEqualTo(drafts.get(i).toBuilder().index(i + 1).build());
        }
        assertThat(allEvents("room-1")).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(commit(message("room-1", "ch-a", "alice", "after")).index()).isEqualTo(4);
    }

    @Test
    void commitAllRefusesOnlyTheCommitsThatFailAndLeavesNoGap() {
        createRoom("room-1");
        RoomEvent stored = commit(keyed(message("room-1", "ch-a", "alice", "stored"), "taken"));
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "target"));
        RoomEvent deleted = target.toBuilder().content(new SystemContent("deleted", "message_deleted", Map.of()))
                .putMetadata("deleted", true).build();
        RoomEvent edited = target.toBuilder().content(new TextContent("edited")).build();
        RoomEvent unknown = message("room-1", "ch-a", "alice", "never stored");
        List<EventCommit> batch = List.of(
                EventCommit.of(message("room-1", "ch-a", "alice", "ok 1")),
                EventCommit.of(keyed(message("room-1", "ch-a", "alice", "repeat"), "taken")),
                EventCommit.of(keyed(message("room-1", "ch-b", "bob", "first of its key"), "fresh")),
                EventCommit.of(keyed(message("room-1", "ch-c", "carol", "second of its key"), "fresh")),
                new EventCommit(delete("room-1", "ch-a", "alice", target.id()), List.of(deleted)),
                new EventCommit(edit("room-1", "ch-a", "alice", target.id(), "edited"), List.of(edited)),
                new EventCommit(delete("room-1", "ch-a", "alice", target.id()), List.of(deleted)),
                new EventCommit(edit("room-1", "ch-a", "alice", unknown.id(), "x"), List.of(unknown)),
                EventCommit.of(message("room-1", "ch-a", "alice", "ok 2")));

        List<CommitOutcome> outcomes = store.commitAll(batch);

        assertThat(outcomes).hasSize(batch.size());
        assertThat(failureCodes(outcomes)).containsExactly(null, ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY, null,
                ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY, null, ErrorCodes.TARGET_DELETED, ErrorCodes.ALREADY_DELETED,
                ErrorCodes.EVENT_NOT_FOUND, null);
        assertThat(outcomes).filteredOn(outcome -> outcome.stored() != null).extracting(CommitOutcome::stored)
                .extracting(RoomEvent::index).containsExactly(2L, 3L, 4L, 5L);
        assertThat(allEvents("room-1")).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(store.findByIdempotencyKey("room-1", "taken")).contains(stored);
        assertThat(store.findByIdempotencyKey("room-1", "fresh")).contains(outcomes.get(2).stored());
        assertThat(store.getEvent("room-1", target.id()).orElseThrow()).isEqualTo(deleted);
        assertThat(commit(message("room-1", "ch-a", "alice", "after")).index()).isEqualTo(6);
    }

    @Test
    void commitAllWithAStoredEventIdRefusesThatCommitAlone() {
        createRoom("room-1");
        RoomEvent original = commit(message("room-1", "ch-a", "alice", "once"));
        RoomEvent sameId = message("room-1", "ch-a", "mallory", "forged").toBuilder().id(original.id()).build();

        List<CommitOutcome> outcomes = store.commitAll(List.of(EventCommit.of(message("room-1", "ch-a", "alice", "a")),
                EventCommit.of(sameId), EventCommit.of(message("room-1", "ch-a", "alice", "b"))));

        assertThat(failureCodes(outcomes)).containsExactly(null, ErrorCodes.EVENT_EXISTS, null);
        assertThat(allEvents("room-1")).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L);
        assertThat(store.getEvent("room-1", original.id())).contains(original);
    }

    @Test
    void commitAllToAClosedRoomRefusesEveryCommit() {
        createRoom("room-1");
        store.updateRoom(store.getRoom("room-1").orElseThrow().withStatus(RoomStatus.CLOSED));

        List<CommitOutcome> outcomes = store.commitAll(List.of(EventCommit.of(message("room-1", "ch-a", "alice", "a")),
                EventCommit.of(message("room-1", "ch-a", "alice", "b"))));

        assertThat(failureCodes(outcomes)).containsExactly(ErrorCodes.ROOM_CLOSED, ErrorCodes.ROOM_CLOSED);
        assertThat(store.countEvents("room-1")).isZero();
    }

    @Test
    void commitAllOfSeveralRoomsIsRefused() {
        createRoom("room-1");
        createRoom("room-2");

        assertThatThrownBy(() -> store.commitAll(List.of(EventCommit.of(message("room-1", "ch-a", "alice", "a")),
                EventCommit.of(message("room-2", "ch-a", "alice", "b"))))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.countEvents("room-1")).isZero();
        assertThat(store.countEvents("room-2")).isZero();
    }

    @Test
    void concurrentBatchesAndSingleCommitsIntoOneRoomKeepKeysUniqueAndIndicesGapless() throws Exception {
        createRoom("room-1");
        int threads = 6;
        int rounds = operationsPerThread() / 5;

        List<List<CommitOutcome>> results = runConcurrently(threads, thread -> {
            Random random = new Random(thread);
            List<CommitOutcome> mine = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<EventCommit> batch = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    RoomEvent draft = message("room-1", "ch-" + thread, "user-" + thread, "m" + round);
                    batch.add(EventCommit.of(random.nextBoolean() ? keyed(draft, "key-" + random.nextInt(20)) : draft));
                }
                mine.addAll(store.commitAll(batch));
            }
            return mine;
        });

        List<CommitOutcome> all = results.stream().flatMap(List::stream).toList();
        assertThat(all).filteredOn(outcome -> outcome.failure() != null).extracting(CommitOutcome::failure)
                .allMatch(failure -> failure instanceof RoomKitException ex
                        && ex.code().equals(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY));
        List<RoomEvent> stored = all.stream().map(CommitOutcome::stored).filter(Objects::nonNull)
                .sorted(Comparator.comparingLong(RoomEvent::index)).toList();
        assertThat(allEvents("room-1")).containsExactlyElementsOf(stored);
        assertThat(stored).extracting(RoomEvent::index)
                .containsExactlyElementsOf(LongStream.range(0, stored.size()).boxed().toList());
        assertThat(stored).extracting(RoomEvent::idempotencyKey).filteredOn(Objects::nonNull)
                .doesNotHaveDuplicates();
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void concurrentCommitsIntoOneRoomGetGaplessUniqueIndices() throws Exception {
        createRoom("room-1");
        int threads = 8;
        int perThread = operationsPerThread();

        List<List<RoomEvent>> results = runConcurrently(threads, thread -> commitFrom("room-1", thread, perThread));

        long total = (long) threads * perThread;
        List<Long> indices = results.stream().flatMap(List::stream).map(RoomEvent::index).sorted().toList();
        assertThat(indices).containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
        for (List<RoomEvent> mine : results) {
            assertThat(mine).extracting(RoomEvent::index).isSorted().doesNotHaveDuplicates();
        }
        assertThat(store.countEvents("room-1")).isEqualTo(total);
        assertThat(store.latestIndex("room-1")).hasValue(total - 1);
    }

    @Test
    void concurrentCommitsAreStoredWithTheIndexTheyWereGiven() throws Exception {
        createRoom("room-1");
        int threads = 8;

        List<List<RoomEvent>> results = runConcurrently(threads,
                thread -> commitFrom("room-1", thread, operationsPerThread()));

        List<RoomEvent> returned = results.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(RoomEvent::index)).toList();
        assertThat(allEvents("room-1")).containsExactlyElementsOf(returned);
    }

    @Test
    void concurrentEditsOfOneMessageEachRecordTheVersionTheyReplaced() throws Exception {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "original"));
        int threads = 4;
        int perThread = Math.max(5, operationsPerThread() / 5);

        runConcurrently(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                store.commit(editReplacing(message, "edit " + thread + "." + i));
            }
            return List.of();
        });

        List<EditContent> edits = store.listEdits("room-1", message.id()).stream()
                .map(event -> (EditContent) event.content()).toList();
        assertThat(edits).hasSize(threads * perThread);
        EventContent expectedPrevious = new TextContent("original");
        for (EditContent edit : edits) {
            assertThat(edit.previousContent()).isEqualTo(expectedPrevious);
            expectedPrevious = edit.newContent();
        }
        assertThat(store.getEvent("room-1", message.id()).orElseThrow().content()).isEqualTo(expectedPrevious);
    }

    @Test
    void concurrentRepliesToOneThreadAreAllListedAndCounted() throws Exception {
        createRoom("room-1");
        RoomEvent root = commit(message("room-1", "ch-a", "alice", "root"));
        int threads = 4;
        int perThread = Math.max(5, operationsPerThread() / 5);

        List<List<RoomEvent>> results = runConcurrently(threads, thread -> {
            List<RoomEvent> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(commit(reply("room-1", "ch-" + thread, "user-" + thread, "r" + i, root.id())));
                commit(message("room-1", "ch-" + thread, "user-" + thread, "top " + i));
            }
            return mine;
        });

        List<RoomEvent> replies = results.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(RoomEvent::index)).toList();
        List<RoomEvent> listed = new ArrayList<>();
        List<RoomEvent> page = store.listEvents("room-1", EventQuery.after(-1, 3).inThread(root.id()));
        while (!page.isEmpty()) {
            listed.addAll(page);
            page = store.listEvents("room-1", EventQuery.after(page.get(page.size() - 1).index(), 3)
                    .inThread(root.id()));
        }
        assertThat(listed).containsExactlyElementsOf(replies);
        ThreadSummary summary = store.threadSummaries("room-1", List.of(root.id())).get(root.id());
        assertThat(summary.replyCount()).isEqualTo((long) threads * perThread);
        assertThat(summary.participants()).hasSize(threads);
    }

    @Test
    void concurrentReactionsOfSeveralUsersConvergeToEachUsersLastChoice() throws Exception {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "vote"));
        List<String> emojis = List.of("👍", "🎉", "❤️");
        int users = 6;
        int perUser = Math.max(10, operationsPerThread());

        // each thread is one user, so each user's final reactions follow from its own operations alone
        List<Set<String>> finalChoices = runConcurrently(users, user -> {
            Random random = new Random(user);
            Set<String> mine = new HashSet<>();
            for (int i = 0; i < perUser; i++) {
                String emoji = emojis.get(random.nextInt(emojis.size()));
                if (random.nextBoolean()) {
                    assertThat(store.addReaction(Reaction.of("room-1", message.id(), "user-" + user, emoji)))
                            .isEqualTo(mine.add(emoji));
                }
                else {
                    assertThat(store.removeReaction("room-1", message.id(), "user-" + user, emoji))
                            .isEqualTo(mine.remove(emoji));
                }
            }
            return mine;
        });

        Map<String, ReactionSummary> stored = store.reactionSummaries("room-1", List.of(message.id()))
                .getOrDefault(message.id(), Map.of());
        for (String emoji : emojis) {
            long expected = finalChoices.stream().filter(choice -> choice.contains(emoji)).count();
            assertThat(stored.containsKey(emoji) ? stored.get(emoji).count() : 0).as(emoji).isEqualTo(expected);
        }
    }

    @Test
    void aReactionRacingTheDeleteOfItsMessageIsNeverLeftBehind() throws Exception {
        createRoom("room-1");
        for (int round = 0; round < Math.max(5, operationsPerThread() / 5); round++) {
            RoomEvent message = commit(message("room-1", "ch-a", "alice", "race " + round));
            RoomEvent deleted = message.toBuilder().content(new SystemContent("deleted")).putMetadata("deleted", true)
                    .build();
            runConcurrently(4, thread -> {
                if (thread == 0) {
                    store.commit(new EventCommit(delete("room-1", "ch-a", "alice", message.id()), List.of(deleted)));
                    return List.of();
                }
                for (int i = 0; i < 5; i++) {
                    try {
                        store.addReaction(Reaction.of("room-1", message.id(), "user-" + thread + "-" + i, "👍"));
                    }
                    catch (RoomKitException refused) {
                        assertThat(refused.code()).isEqualTo(ErrorCodes.TARGET_DELETED);
                    }
                }
                return List.of();
            });
            assertThat(store.reactionSummaries("room-1", List.of(message.id()))).as("round " + round).isEmpty();
        }
    }

    @Test
    void concurrentCommitsWithTheSameIdempotencyKeyStoreExactlyOne() throws Exception {
        createRoom("room-1");
        int threads = 8;
        int keys = operationsPerThread();

        List<List<Object>> outcomes = runConcurrently(threads, thread -> {
            List<Object> mine = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                try {
                    mine.add(commit(keyed(message("room-1", "ch-" + thread, "user-" + thread, "m"), "key-" + k)));
                }
                catch (RoomKitException e) {
                    mine.add(e.code());
                }
            }
            return mine;
        });

        List<Object> all = outcomes.stream().flatMap(List::stream).toList();
        List<RoomEvent> winners = all.stream().filter(RoomEvent.class::isInstance).map(RoomEvent.class::cast)
                .toList();
        assertThat(winners).extracting(RoomEvent::idempotencyKey).doesNotHaveDuplicates().hasSize(keys);
        assertThat(all).filteredOn(String.class::isInstance).hasSize((threads - 1) * keys)
                .containsOnly(ErrorCodes.DUPLICATE_IDEMPOTENCY_KEY);
        assertThat(store.countEvents("room-1")).isEqualTo(keys);
        for (RoomEvent winner : winners) {
            assertThat(store.findByIdempotencyKey("room-1", winner.idempotencyKey())).contains(winner);
        }
    }

    @Test
    void concurrentCommitsToDifferentRoomsDoNotInterfere() throws Exception {
        int rooms = 4;
        int threadsPerRoom = 2;
        int perThread = operationsPerThread();
        IntStream.range(0, rooms).forEach(r -> createRoom("room-" + r));

        List<List<RoomEvent>> results = runConcurrently(rooms * threadsPerRoom,
                thread -> commitFrom("room-" + (thread % rooms), thread, perThread));

        long perRoom = (long) threadsPerRoom * perThread;
        for (int r = 0; r < rooms; r++) {
            String roomId = "room-" + r;
            List<Long> indices = results.stream().flatMap(List::stream).filter(e -> e.roomId().equals(roomId))
                    .map(RoomEvent::index).sorted().toList();
            assertThat(indices).as(roomId).containsExactlyElementsOf(LongStream.range(0, perRoom).boxed().toList());
            assertThat(store.countEvents(roomId)).as(roomId).isEqualTo(perRoom);
        }
    }

    @Test
    void concurrentBindingChangesOfDifferentRoomsKeepEveryBoundRoomFindable() throws Exception {
        int threads = 4;
        int iterations = raceIterations();
        IntStream.range(0, threads).forEach(t -> createRoom("room-" + t));

        List<Integer> misses = runConcurrently(threads, thread -> {
            String roomId = "room-" + thread;
            int missed = 0;
            for (int i = 0; i < iterations; i++) {
                store.saveBinding(binding(roomId, "ch-shared"));
                if (!store.findRoomIdsByChannel("ch-shared", null, threads).contains(roomId)) {
                    missed++;
                }
                store.removeBinding(roomId, "ch-shared");
            }
            return missed;
        });

        assertThat(misses).as("saves whose room was then not found by channel").containsOnly(0);
        assertThat(store.findRoomIdsByChannel("ch-shared", null, threads)).isEmpty();
    }

    @Test
    void concurrentDeleteOfARoomLeavesNoBindingBehindForItsSuccessor() throws Exception {
        createRoom("room-1");
        int iterations = raceIterations();
        AtomicBoolean done = new AtomicBoolean();

        List<Integer> stale = runConcurrently(2, thread -> {
            if (thread == 0) {
                while (!done.get()) {
                    try {
                        store.saveBinding(binding("room-1", "ch-a"));
                    }
                    catch (RoomKitException e) {
                        assertThat(e.code()).isEqualTo(ErrorCodes.ROOM_NOT_FOUND);
                    }
                }
                return 0;
            }
            int found = 0;
            try {
                for (int i = 0; i < iterations; i++) {
                    store.deleteRoom("room-1");
                    createRoom("room-1");
                    if (store.findRoomIdsByChannel("ch-a", null, 10).contains("room-1")
                            && store.getBinding("room-1", "ch-a").isEmpty()) {
                        found++;
                    }
                }
            }
            finally {
                done.set(true);
            }
            return found;
        });

        assertThat(stale).as("fresh rooms found by a channel they are not bound to").containsOnly(0);
    }

    // ---- reads -------------------------------------------------------------------------------------

    @Test
    void readGetEventIsScopedToTheRoom() {
        createRoom("room-a");
        createRoom("room-b");
        RoomEvent event = commit(message("room-a", "ch-a", "alice", "hello"));

        assertThat(store.getEvent("room-a", event.id())).contains(event);
        assertThat(store.getEvent("room-b", event.id())).isEmpty();
        assertThat(store.getEvent("room-a", RoomEvent.newId())).isEmpty();
    }

    @Test
    void readFindByIdempotencyKeyIsScopedToTheRoom() {
        createRoom("room-a");
        createRoom("room-b");
        RoomEvent event = commit(keyed(message("room-a", "ch-a", "alice", "hello"), "key-1"));

        assertThat(store.findByIdempotencyKey("room-a", "key-1")).contains(event);
        assertThat(store.findByIdempotencyKey("room-b", "key-1")).isEmpty();
        assertThat(store.findByIdempotencyKey("room-a", "key-2")).isEmpty();
    }

    @Test
    void readFindByIdempotencyKeyReturnsTheCurrentVersionOfTheEvent() {
        createRoom("room-1");
        RoomEvent event = commit(keyed(message("room-1", "ch-a", "alice", "helo"), "key-1"));
        RoomEvent replacement = event.toBuilder().content(new TextContent("hello")).build();

        store.commit(new EventCommit(edit("room-1", "ch-a", "alice", event.id(), "hello"), List.of(replacement)));

        assertThat(store.findByIdempotencyKey("room-1", "key-1")).contains(replacement);
    }

    @Test
    void readLatestReturnsTheNewestEventsInAscendingOrder() {
        createRoom("room-1");
        commitMessages("room-1", 10);

        assertThat(indices(EventQuery.latest(3))).containsExactly(7L, 8L, 9L);
        assertThat(indices(EventQuery.latest(20))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void readAfterReturnsTheOldestEventsAboveTheCursor() {
        createRoom("room-1");
        commitMessages("room-1", 10);

        assertThat(indices(EventQuery.after(2, 3))).containsExactly(3L, 4L, 5L);
        assertThat(indices(EventQuery.after(-1, 2))).containsExactly(0L, 1L);
        assertThat(indices(EventQuery.after(7, 5))).containsExactly(8L, 9L);
    }

    @Test
    void readAfterTheEndIsEmpty() {
        createRoom("room-1");
        commitMessages("room-1", 10);

        assertThat(indices(EventQuery.after(9, 5))).isEmpty();
        assertThat(indices(EventQuery.after(100, 5))).isEmpty();
        assertThat(indices(EventQuery.after(Long.MAX_VALUE, 5))).isEmpty();
    }

    @Test
    void readBeforeReturnsTheNewestEventsBelowTheCursorInAscendingOrder() {
        createRoom("room-1");
        commitMessages("room-1", 10);

        assertThat(indices(EventQuery.before(8, 3))).containsExactly(5L, 6L, 7L);
        assertThat(indices(EventQuery.before(2, 5))).containsExactly(0L, 1L);
        assertThat(indices(EventQuery.before(100, 2))).containsExactly(8L, 9L);
        assertThat(indices(EventQuery.before(0, 5))).isEmpty();
    }

    @Test
    void readOfTypesCountsOnlyMatchingEventsTowardsTheLimit() {
        createRoom("room-1");
        for (int i = 0; i < 5; i++) {
            commit(message("room-1", "ch-a", "alice", "m" + i));
            commit(systemEvent("room-1", "s" + i));
        }

        assertThat(indices(EventQuery.latest(3).ofTypes(EventType.MESSAGE))).containsExactly(4L, 6L, 8L);
        assertThat(indices(EventQuery.after(0, 2).ofTypes(EventType.MESSAGE))).containsExactly(2L, 4L);
        assertThat(indices(EventQuery.before(5, 2).ofTypes(EventType.SYSTEM))).containsExactly(1L, 3L);
        assertThat(indices(EventQuery.latest(10).ofTypes(EventType.SYSTEM, EventType.MESSAGE))).hasSize(10);
        assertThat(indices(EventQuery.latest(10).ofTypes(EventType.EDIT))).isEmpty();
    }

    @Test
    void readListEventsIsScopedToTheRoom() {
        createRoom("room-1");
        createRoom("room-2");
        commitMessages("room-1", 3);
        RoomEvent other = commit(message("room-2", "ch-a", "alice", "other"));

        assertThat(store.listEvents("room-2", EventQuery.latest(10))).containsExactly(other);
        assertThat(store.listEvents("room-1", EventQuery.latest(10))).hasSize(3);
    }

    @Test
    void listEventsOfAThreadReturnsItsRepliesWithTheRoomsCursors() {
        createRoom("room-1");
        RoomEvent root = commit(message("room-1", "ch-a", "alice", "root"));
        RoomEvent other = commit(message("room-1", "ch-a", "alice", "another root"));
        List<RoomEvent> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(commit(reply("room-1", "ch-b", "bob", "reply " + i, root.id())));
            commit(reply("room-1", "ch-b", "bob", "elsewhere " + i, other.id()));
            commit(message("room-1", "ch-a", "alice", "top level " + i));
        }

        assertThat(store.listEvents("room-1", EventQuery.thread(root.id(), 2)))
                .containsExactlyElementsOf(replies.subList(3, 5));
        assertThat(store.listEvents("room-1", EventQuery.after(replies.get(1).index(), 2).inThread(root.id())))
                .containsExactlyElementsOf(replies.subList(2, 4));
        assertThat(store.listEvents("room-1", EventQuery.before(replies.get(3).index(), 10).inThread(root.id())))
                .containsExactlyElementsOf(replies.subList(0, 3));
        assertThat(store.listEvents("room-1", EventQuery.thread(root.id(), 10).ofTypes(EventType.MESSAGE)))
                .containsExactlyElementsOf(replies);
        assertThat(store.listEvents("room-1", EventQuery.thread(root.id(), 10).ofTypes(EventType.SYSTEM))).isEmpty();
        assertThat(store.listEvents("room-1", EventQuery.thread(replies.get(0).id(), 10))).isEmpty();
        assertThat(store.listEvents("room-2", EventQuery.thread(root.id(), 10))).isEmpty();
    }

    @Test
    void threadSummariesCountTheMessagesThatAreNeitherDeletedNorBlocked() {
        createRoom("room-1");
        createRoom("room-2");
        RoomEvent root = commit(message("room-1", "ch-a", "alice", "root"));
        RoomEvent quiet = commit(message("room-1", "ch-a", "alice", "nobody answers"));
        commit(reply("room-1", "ch-b", "bob", "first", root.id()));
        RoomEvent deleted = commit(reply("room-1", "ch-c", "carol", "oops", root.id()));
        commit(reply("room-1", "ch-d", "dave", "blocked", root.id()).toBuilder().status(EventStatus.BLOCKED)
                .blockedBy("moderation").build());
        RoomEvent last = commit(reply("room-1", "ch-a", "alice", "second", root.id()));
        commit(reply("room-1", "ch-b", "bob", "third", root.id()));
        deleteByItsSender(deleted);
        RoomEvent newest = store.listEvents("room-1", EventQuery.thread(root.id(), 1)).get(0);

        Map<String, ThreadSummary> summaries = store.threadSummaries("room-1", List.of(root.id(), quiet.id(), "nope"));

        assertThat(summaries).containsOnlyKeys(root.id());
        ThreadSummary thread = summaries.get(root.id());
        assertThat(thread.replyCount()).isEqualTo(3);
        assertThat(thread.participants()).containsExactly("bob", "alice");
        assertThat(thread.lastReplyAt()).isEqualTo(newest.createdAt()).isAfterOrEqualTo(last.createdAt());
        assertThat(thread.lastReplyIndex()).isEqualTo(newest.index());
        assertThat(store.threadSummaries("room-2", List.of(root.id()))).isEmpty();
        assertThat(store.threadSummaries("room-1", List.of())).isEmpty();
    }

    // ---- mentions and rooms of a participant --------------------------------------------------------

    @Test
    void countUnreadMentionsCountsTheUnreadMessagesThatMentionTheUser() {
        createRoom("room-1");
        commit(mentioning(message("room-1", "ch-a", "alice", "hi @bob"), "bob"));
        RoomEvent read = commit(mentioning(message("room-1", "ch-a", "alice", "@bob @carol"), "bob", "carol"));
        store.advanceReadMarker("room-1", "ch-b", read.index());
        commit(mentioning(message("room-1", "ch-a", "alice", "again @bob"), "bob"));
        commit(mentioning(message("room-1", "ch-b", "bob", "I mention myself @bob"), "bob"));
        commit(mentioning(message("room-1", "ch-a", "alice", "blocked @bob"), "bob").toBuilder()
                .status(EventStatus.BLOCKED).blockedBy("filter").build());
        RoomEvent deleted = commit(mentioning(message("room-1", "ch-a", "alice", "oops @bob"), "bob"));
        deleteByItsSender(deleted);
        commit(message("room-1", "ch-a", "alice", "no mention"));

        assertThat(store.countUnreadMentions("room-1", "ch-b", "bob")).isEqualTo(1);
        assertThat(store.countUnreadMentions("room-1", "ch-c", "carol")).isEqualTo(1);
        assertThat(store.countUnreadMentions("room-1", "ch-c", "dave")).isZero();
        assertThat(store.countUnreadMentions("room-2", "ch-b", "bob")).isZero();
    }

    @Test
    void countUnreadMentionsMatchesUserIdsExactly() {
        createRoom("room-1");
        commit(mentioning(message("room-1", "ch-a", "alice", "hi"), "bob", "50%_off", "quo\"te"));

        assertThat(store.countUnreadMentions("room-1", "ch-b", "b_b")).isZero();
        assertThat(store.countUnreadMentions("room-1", "ch-b", "bo")).isZero();
        assertThat(store.countUnreadMentions("room-1", "ch-b", "%")).isZero();
        assertThat(store.countUnreadMentions("room-1", "ch-b", "50%_off")).isEqualTo(1);
        assertThat(store.countUnreadMentions("room-1", "ch-b", "quo\"te")).isEqualTo(1);
    }

    @Test
    void deletingARoomDeletesItsReactions() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "short-lived room"));
        store.addReaction(Reaction.of("room-1", message.id(), "bob", "👍"));

        store.deleteRoom("room-1");
        createRoom("room-1");

        assertThat(store.reactionSummaries("room-1", List.of(message.id()))).isEmpty();
    }

    @Test
    void findRoomIdsByParticipantListsTheRoomsWhereTheParticipantIsActive() {
        createRoom("room-1");
        createRoom("room-2");
        createRoom("room-3");
        createRoom("room-4");
        store.saveParticipant(participant("room-2", "bob"));
        store.saveParticipant(participant("room-1", "bob"));
        store.saveParticipant(new Participant("room-3", "bob", null, null, ParticipantRole.MEMBER,
                ParticipantStatus.LEFT, null, null));
        store.saveParticipant(participant("room-4", "carol"));

        assertThat(store.findRoomIdsByParticipant("bob", 10)).containsExactly("room-1", "room-2");
        assertThat(store.findRoomIdsByParticipant("bob", 1)).containsExactly("room-1");
        assertThat(store.findRoomIdsByParticipant("nobody", 10)).isEmpty();
    }

    // ---- reactions ---------------------------------------------------------------------------------

    @Test
    void aReactionIsStoredOncePerUserEmojiAndEvent() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "react to me"));

        assertThat(store.addReaction(Reaction.of("room-1", message.id(), "bob", "👍"))).isTrue();
        assertThat(store.addReaction(Reaction.of("room-1", message.id(), "bob", "👍"))).isFalse();
        assertThat(store.addReaction(Reaction.of("room-1", message.id(), "carol", "🎉"))).isTrue();
        assertThat(store.addReaction(Reaction.of("room-1", message.id(), "alice", "👍"))).isTrue();

        Map<String, ReactionSummary> reactions = store.reactionSummaries("room-1", List.of(message.id()))
                .get(message.id());
        assertThat(reactions.keySet()).containsExactly("👍", "🎉");
        assertThat(reactions.get("👍")).isEqualTo(new ReactionSummary(2, List.of("bob", "alice")));
        assertThat(reactions.get("🎉")).isEqualTo(new ReactionSummary(1, List.of("carol")));
    }

    @Test
    void removingAReactionRemovesThatUsersOnly() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "react to me"));
        store.addReaction(Reaction.of("room-1", message.id(), "bob", "👍"));
        store.addReaction(Reaction.of("room-1", message.id(), "carol", "👍"));
        store.addReaction(Reaction.of("room-1", message.id(), "carol", "🎉"));

        assertThat(store.removeReaction("room-1", message.id(), "bob", "👍")).isTrue();
        assertThat(store.removeReaction("room-1", message.id(), "bob", "👍")).isFalse();
        assertThat(store.removeReaction("room-1", message.id(), "bob", "🎉")).isFalse();
        assertThat(store.removeReaction("room-1", message.id(), "carol", "🎉")).isTrue();

        assertThat(store.reactionSummaries("room-1", List.of(message.id()))).containsExactly(
                Map.entry(message.id(), Map.of("👍", new ReactionSummary(1, List.of("carol")))));
        store.removeReaction("room-1", message.id(), "carol", "👍");
        assertThat(store.reactionSummaries("room-1", List.of(message.id()))).isEmpty();
        assertThat(store.removeReaction("room-2", message.id(), "carol", "👍")).isFalse();
    }

    @Test
    void reactionSummariesCountEveryUserAndNameTheFirstTen() {
        createRoom("room-1");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "popular"));
        RoomEvent quiet = commit(message("room-1", "ch-a", "alice", "quiet"));
        for (int user = 0; user < 12; user++) {
            store.addReaction(Reaction.of("room-1", message.id(), "user-" + user, "👍"));
        }

        Map<String, Map<String, ReactionSummary>> summaries = store.reactionSummaries("room-1",
                List.of(message.id(), quiet.id(), "unknown"));

        assertThat(summaries).containsOnlyKeys(message.id());
        ReactionSummary thumbs = summaries.get(message.id()).get("👍");
        assertThat(thumbs.count()).isEqualTo(12);
        assertThat(thumbs.users()).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(user -> "user-" + user).toList());
        assertThat(store.reactionSummaries("room-2", List.of(message.id()))).isEmpty();
        assertThat(store.reactionSummaries("room-1", List.of())).isEmpty();
    }

    @Test
    void aReactionToAnUnknownOrDeletedEventIsRefusedAndStoresNothing() {
        createRoom("room-1");
        createRoom("room-2");
        RoomEvent message = commit(message("room-1", "ch-a", "alice", "soon gone"));
        deleteByItsSender(message);

        assertFailsWithCode(() -> store.addReaction(Reaction.of("room-1", message.id(), "bob", "👍")),
                ErrorCodes.TARGET_DELETED);
        assertFailsWithCode(() -> store.addReaction(Reaction.of("room-1", "unknown", "bob", "👍")),
                ErrorCodes.EVENT_NOT_FOUND);
        assertFailsWithCode(() -> store.addReaction(Reaction.of("room-2", message.id(), "bob", "👍")),
                ErrorCodes.EVENT_NOT_FOUND);
        assertFailsWithCode(() -> store.addReaction(Reaction.of("room-9", message.id(), "bob", "👍")),
                ErrorCodes.ROOM_NOT_FOUND);
        assertThat(store.reactionSummaries("room-1", List.of(message.id()))).isEmpty();
    }

    @Test
    void deletingAMessageRemovesItsReactionsAndNoOther() {
        createRoom("room-1");
        RoomEvent doomed = commit(message("room-1", "ch-a", "alice", "doomed"));
        RoomEvent kept = commit(message("room-1", "ch-a", "alice", "kept"));
        store.addReaction(Reaction.of("room-1", doomed.id(), "bob", "👍"));
        store.addReaction(Reaction.of("room-1", kept.id(), "bob", "👍"));

        deleteByItsSender(doomed);

        assertThat(store.reactionSummaries("room-1", List.of(doomed.id(), kept.id()))).containsOnlyKeys(kept.id());
    }

    @Test
    void readListEditsReturnsTheEditsOfTheTargetOldestFirst() {
        createRoom("room-1");
        RoomEvent first = commit(message("room-1", "ch-a", "alice", "one"));
        RoomEvent second = commit(message("room-1", "ch-a", "alice", "two"));
        RoomEvent editA = commit(edit("room-1", "ch-a", "alice", first.id(), "one!"));
        RoomEvent editOther = commit(edit("room-1", "ch-a", "alice", second.id(), "two!"));
        commit(delete("room-1", "ch-a", "alice", first.id()));
        RoomEvent editB = commit(edit("room-1", "ch-a", "alice", first.id(), "one!!"));

        assertThat(store.listEdits("room-1", first.id())).containsExactly(editA, editB);
        assertThat(store.listEdits("room-1", second.id())).containsExactly(editOther);
        assertThat(store.listEdits("room-1", editA.id())).isEmpty();
        assertThat(store.listEdits("room-1", RoomEvent.newId())).isEmpty();
    }

    @Test
    void readListEditsIgnoresEventsOfOtherTypesThatCarryEditContent() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "one"));
        commit(message("room-1", "ch-a", "alice", "x").toBuilder()
                .content(new EditContent(target.id(), new TextContent("not an edit"))).build());

        assertThat(store.listEdits("room-1", target.id())).isEmpty();
    }

    @Test
    void readListEditsIsScopedToTheRoom() {
        createRoom("room-1");
        createRoom("room-2");
        RoomEvent target = commit(message("room-1", "ch-a", "alice", "one"));
        commit(edit("room-1", "ch-a", "alice", target.id(), "one!"));
        commit(edit("room-2", "ch-a", "alice", target.id(), "elsewhere"));

        assertThat(store.listEdits("room-1", target.id())).hasSize(1);
        assertThat(store.listEdits("room-2", target.id())).extracting(RoomEvent::roomId).containsExactly("room-2");
    }

    @Test
    void readLatestIndexIsEmptyWithoutEvents() {
        createRoom("room-1");

        assertThat(store.latestIndex("room-1")).isEmpty();
        commitMessages("room-1", 4);
        assertThat(store.latestIndex("room-1")).isEqualTo(OptionalLong.of(3));
    }

    @Test
    void readCountEventsCountsEveryStoredEvent() {
        createRoom("room-1");
        createRoom("room-2");
        commitMessages("room-1", 3);
        commit(systemEvent("room-1", "notice"));
        commit(message("room-1", "ch-a", "alice", "blocked").toBuilder().status(EventStatus.BLOCKED).build());
        commit(message("room-2", "ch-a", "alice", "other"));

        assertThat(store.countEvents("room-1")).isEqualTo(5);
        assertThat(store.countEvents("room-2")).isEqualTo(1);
    }

    @Test
    void readOfAnUnknownRoomIsEmpty() {
        assertThat(store.getEvent("nope", RoomEvent.newId())).isEmpty();
        assertThat(store.findByIdempotencyKey("nope", "key")).isEmpty();
        assertThat(store.listEvents("nope", EventQuery.latest(10))).isEmpty();
        assertThat(store.listEdits("nope", RoomEvent.newId())).isEmpty();
        assertThat(store.latestIndex("nope")).isEmpty();
        assertThat(store.countEvents("nope")).isZero();
        assertThat(store.listBindings("nope")).isEmpty();
        assertThat(store.listParticipants("nope")).isEmpty();
        assertThat(store.readMarker("nope", "ch-a")).isEmpty();
        assertThat(store.readMarkers("nope")).isEmpty();
        assertThat(store.countUnread("nope", "ch-a")).isZero();
    }

    @Test
    void readEventRoundTripsEveryField() {
        createRoom("room-1");
        RoomEvent parent = commit(message("room-1", "ch-a", "alice", "root"));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of("a", 1, 2.5, true, Map.of("deep", List.of("x", "y"))));
        nested.put("empty_map", Map.of());
        nested.put("empty_list", List.of());
        nested.put("nothing", null);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("string", "value with ünïcødé and \"quotes\"");
        metadata.put("int", 42);
        metadata.put("long", 9_007_199_254_740_993L);
        metadata.put("double", 3.25);
        metadata.put("negative", -7);
        metadata.put("flag", false);
        metadata.put("nested", nested);
        RoomEvent draft = RoomEvent.builder().roomId("room-1").type(EventType.MESSAGE)
                .source(new EventSource("sms-bob", ChannelType.SMS, "bob", "+15550100"))
                .content(new TextContent("Bonjour", "fr")).status(EventStatus.BLOCKED).metadata(metadata)
                .createdAt(Instant.parse("2026-11-25T15:22:01.123456Z")).parentEventId(parent.id())
                .idempotencyKey("sms-42").blockedBy("profanity_filter").chainDepth(3).correlationId("turn-7")
                .build();

        RoomEvent stored = commit(draft);
        RoomEvent read = store.getEvent("room-1", draft.id()).orElseThrow();

        assertThat(read).isEqualTo(stored);
        assertThat(read).isEqualTo(draft.toBuilder().index(1).build());
        assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-11-25T15:22:01.123456Z"));
        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(store.listEvents("room-1", EventQuery.latest(1))).containsExactly(stored);
        assertThat(store.findByIdempotencyKey("room-1", "sms-42")).contains(stored);
    }

    @Test
    void readEventRoundTripsEveryContentType() {
        createRoom("room-1");
        String target = commit(message("room-1", "ch-a", "alice", "target")).id();
        List<EventContent> contents = List.of(
                new TextContent("plain"),
                new RichContent("**bold**", "markdown", "bold",
                        List.of(Map.of("label", "Yes", "value", "y")),
                        List.of(Map.of("title", "Card", "buttons", List.of(Map.of("label", "Go")))),
                        List.of("yes", "no")),
                new MediaContent("https://example.com/a.png", "image/png", "a.png", 2048L, "a picture"),
                new AudioContent("https://example.com/a.ogg", "audio/ogg", 12.5, "hello there"),
                new VideoContent("https://example.com/v.mp4", "video/mp4", 61.0, "https://example.com/v.jpg"),
                new LocationContent(48.8584, 2.2945, "Eiffel Tower", "Champ de Mars, Paris"),
                new SystemContent("Alice joined", "participant_joined", Map.of("who", "alice", "count", 3)),
                new TemplateContent("order_shipped", "de", Map.of("order", "A-17", "items", List.of(1, 2)),
                        "Your order shipped"),
                new CompositeContent(List.of(new TextContent("look"),
                        new CompositeContent(List.of(new MediaContent("data:image/png;base64,AAAA", "image/png",
                                null, null, null))))),
                new EditContent(target, new RichContent("*fixed*"), "system"),
                new DeleteContent(target, DeleteType.ADMIN, "spam"),
                new ToolCallContent("search", "call-1", Map.of("query", "weather", "top", 3),
                        Map.of("hits", List.of(Map.of("title", "Sunny"))), "completed", 120L, null,
                        Map.of("kind", "forecast")));

        List<RoomEvent> stored = new ArrayList<>();
        for (EventContent content : contents) {
            stored.add(commit(RoomEvent.builder().roomId("room-1").type(typeFor(content))
                    .source(new EventSource("ch-a", ChannelType.WEBSOCKET, "alice")).content(content)
                    .status(EventStatus.DELIVERED).build()));
        }

        for (RoomEvent event : stored) {
            assertThat(store.getEvent("room-1", event.id())).as(event.content().type()).contains(event);
        }
        assertThat(store.listEvents("room-1", EventQuery.after(0, 100))).containsExactlyElementsOf(stored);
    }

    @Test
    void readEventRoundTripsNullOptionalFields() {
        createRoom("room-1");
        RoomEvent draft = RoomEvent.builder().roomId("room-1").type(EventType.MESSAGE)
                .source(new EventSource("ch-a", ChannelType.CUSTOM, null, null)).content(new TextContent(""))
                .status(EventStatus.DELIVERED).build();

        RoomEvent stored = commit(draft);

        RoomEvent read = store.getEvent("room-1", draft.id()).orElseThrow();
        assertThat(read).isEqualTo(stored);
        assertThat(read.parentEventId()).isNull();
        assertThat(read.idempotencyKey()).isNull();
        assertThat(read.blockedBy()).isNull();
        assertThat(read.correlationId()).isNull();
        assertThat(read.source().participantId()).isNull();
        assertThat(read.metadata()).isEmpty();
    }

    // ---- read state --------------------------------------------------------------------------------

    @Test
    void readMarkerIsEmptyWhenNoneWasSet() {
        createRoom("room-1");

        assertThat(store.readMarker("room-1", "ch-a")).isEmpty();
        assertThat(store.readMarkers("room-1")).isEmpty();
    }

    @Test
    void readMarkerAdvanceReturnsTheMarker() {
        createRoom("room-1");

        assertThat(store.advanceReadMarker("room-1", "ch-a", 3)).isEqualTo(3);
        assertThat(store.readMarker("room-1", "ch-a")).hasValue(3);
        assertThat(store.advanceReadMarker("room-1", "ch-a", 7)).isEqualTo(7);
        assertThat(store.readMarker("room-1", "ch-a")).hasValue(7);
    }

    @Test
    void readMarkerNeverMovesBackwards() {
        createRoom("room-1");
        store.advanceReadMarker("room-1", "ch-a", 5);

        assertThat(store.advanceReadMarker("room-1", "ch-a", 2)).isEqualTo(5);
        assertThat(store.advanceReadMarker("room-1", "ch-a", 5)).isEqualTo(5);
        assertThat(store.readMarker("room-1", "ch-a")).hasValue(5);
    }

    @Test
    void readMarkerAdvanceAcceptsIndexZero() {
        createRoom("room-1");

        assertThat(store.advanceReadMarker("room-1", "ch-a", 0)).isZero();
        assertThat(store.readMarker("room-1", "ch-a")).hasValue(0);
    }

    @Test
    void readMarkersMapsEveryChannelOfTheRoom() {
        createRoom("room-1");
        createRoom("room-2");
        store.advanceReadMarker("room-1", "ch-a", 4);
        store.advanceReadMarker("room-1", "ch-b", 1);
        store.advanceReadMarker("room-2", "ch-c", 9);

        assertThat(store.readMarkers("room-1")).isEqualTo(Map.of("ch-a", 4L, "ch-b", 1L));
        assertThat(store.readMarkers("room-2")).isEqualTo(Map.of("ch-c", 9L));
        assertThat(store.readMarker("room-2", "ch-a")).isEmpty();
    }

    @Test
    void readMarkerConcurrentAdvancesEndAtTheMaximum() throws Exception {
        createRoom("room-1");
        int threads = 8;
        int perThread = operationsPerThread();

        List<Boolean> returnedAtLeastTheRequest = runConcurrently(threads, thread -> {
            List<Long> mine = new ArrayList<>(LongStream.range(0, perThread)
                    .map(i -> i * threads + thread).boxed().toList());
            Collections.shuffle(mine, new Random(thread));
            boolean ok = true;
            for (long index : mine) {
                long after = store.advanceReadMarker("room-1", "ch-a", index);
                ok &= after >= index;
            }
            return ok;
        });

        assertThat(returnedAtLeastTheRequest).containsOnly(true);
        assertThat(store.readMarker("room-1", "ch-a")).hasValue((long) threads * perThread - 1);
        assertThat(store.readMarkers("room-1")).hasSize(1);
    }

    @Test
    void unreadCountsEveryMessageWhenThereIsNoMarker() {
        createRoom("room-1");
        commitMessagesFrom("room-1", "ch-b", 3);

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(3);
    }

    @Test
    void unreadCountsOnlyMessagesAfterTheMarker() {
        createRoom("room-1");
        commitMessagesFrom("room-1", "ch-b", 5);

        store.advanceReadMarker("room-1", "ch-a", 1);
        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(3);
        store.advanceReadMarker("room-1", "ch-a", 4);
        assertThat(store.countUnread("room-1", "ch-a")).isZero();
    }

    @Test
    void unreadCountsOnlyMessageEvents() {
        createRoom("room-1");
        RoomEvent target = commit(message("room-1", "ch-b", "bob", "hi"));
        commit(systemEvent("room-1", "notice"));
        commit(edit("room-1", "ch-b", "bob", target.id(), "hi!"));
        commit(message("room-1", "ch-b", "bob", "x").toBuilder().type(EventType.REACTION).build());

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(1);
    }

    @Test
    void unreadExcludesDeletedMessages() {
        createRoom("room-1");
        commit(message("room-1", "ch-b", "bob", "gone").toBuilder().putMetadata("deleted", true).build());
        RoomEvent later = commit(message("room-1", "ch-b", "bob", "also gone"));
        commit(message("room-1", "ch-b", "bob", "kept"));
        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(2);

        store.commit(new EventCommit(delete("room-1", "ch-b", "bob", later.id()),
                List.of(later.toBuilder().putMetadata("deleted", true).build())));

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(1);
    }

    @Test
    void unreadExcludesBlockedMessages() {
        createRoom("room-1");
        commit(message("room-1", "ch-b", "bob", "spam").toBuilder().status(EventStatus.BLOCKED)
                .blockedBy("spam_filter").build());
        commit(message("room-1", "ch-b", "bob", "ham"));

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(1);
    }

    @Test
    void unreadExcludesMessagesSentFromTheReadersChannel() {
        createRoom("room-1");
        commitMessagesFrom("room-1", "ch-a", 2);
        commitMessagesFrom("room-1", "ch-b", 3);

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(3);
        assertThat(store.countUnread("room-1", "ch-b")).isEqualTo(2);
        assertThat(store.countUnread("room-1", "ch-c")).isEqualTo(5);
    }

    @Test
    void unreadIsScopedToTheRoom() {
        createRoom("room-1");
        createRoom("room-2");
        commitMessagesFrom("room-1", "ch-b", 2);
        commitMessagesFrom("room-2", "ch-b", 4);
        store.advanceReadMarker("room-2", "ch-a", 0);

        assertThat(store.countUnread("room-1", "ch-a")).isEqualTo(2);
        assertThat(store.countUnread("room-2", "ch-a")).isEqualTo(3);
    }

    @Test
    void closeIsIdempotent() {
        assertThatCode(() -> {
            store.close();
            store.close();
        }).as("closing twice").doesNotThrowAnyException();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Writes per thread in the concurrency tests; raise it for fast stores to provoke more interleavings. */
    protected int operationsPerThread() {
        return 50;
    }

    /** Iterations of the tests that hunt for races; lower it for slow stores. */
    protected int raceIterations() {
        return 2000;
    }

    protected Room createRoom(String roomId) {
        return store.createRoom(Room.create(roomId));
    }

    protected RoomEvent commit(RoomEvent draft) {
        return store.commit(EventCommit.of(draft));
    }

    /** A delivered text message from {@code sender} through {@code channelId}. */
    protected RoomEvent message(String roomId, String channelId, String sender, String body) {
        return RoomEvent.builder().roomId(roomId).type(EventType.MESSAGE)
                .source(new EventSource(channelId, ChannelType.WEBSOCKET, sender)).content(new TextContent(body))
                .status(EventStatus.DELIVERED).build();
    }

    protected RoomEvent systemEvent(String roomId, String body) {
        return RoomEvent.builder().roomId(roomId).type(EventType.SYSTEM)
                .source(new EventSource("system", ChannelType.SYSTEM, null)).content(new SystemContent(body))
                .status(EventStatus.DELIVERED).build();
    }

    protected RoomEvent edit(String roomId, String channelId, String sender, String targetId, String newBody) {
        return message(roomId, channelId, sender, newBody).toBuilder().type(EventType.EDIT)
                .content(new EditContent(targetId, new TextContent(newBody))).build();
    }

    /** The message with {@code metadata.mentions} naming {@code users}. */
    protected RoomEvent mentioning(RoomEvent message, String... users) {
        return message.toBuilder().putMetadata(RoomEvent.MENTIONS, List.of(users)).build();
    }

    /** A message in the thread of {@code rootId}. */
    protected RoomEvent reply(String roomId, String channelId, String sender, String body, String rootId) {
        return message(roomId, channelId, sender, body).toBuilder().parentEventId(rootId).build();
    }

    /** Deletes {@code message} as its sender would: the DELETE event with the message's tombstone. */
    protected RoomEvent deleteByItsSender(RoomEvent message) {
        RoomEvent tombstone = message.toBuilder().content(new SystemContent("deleted")).putMetadata("deleted", true)
                .build();
        return store.commit(new EventCommit(delete(message.roomId(), message.source().channelId(),
                message.source().participantId(), message.id()), List.of(tombstone)));
    }

    /** An edit of {@code target} with the replacement the pipeline would commit with it. */
    protected EventCommit editReplacing(RoomEvent target, String newBody) {
        RoomEvent replacement = target.toBuilder().content(new TextContent(newBody)).putMetadata("edited", true)
                .build();
        return new EventCommit(edit(target.roomId(), target.source().channelId(), target.source().participantId(),
                target.id(), newBody), List.of(replacement));
    }

    protected RoomEvent delete(String roomId, String channelId, String sender, String targetId) {
        return message(roomId, channelId, sender, "-").toBuilder().type(EventType.DELETE)
                .content(new DeleteContent(targetId, DeleteType.SENDER, null)).build();
    }

    protected RoomEvent keyed(RoomEvent draft, String idempotencyKey) {
        return draft.toBuilder().idempotencyKey(idempotencyKey).build();
    }

    protected ChannelBinding binding(String roomId, String channelId) {
        return ChannelBinding.of(roomId, channelId, ChannelType.WEBSOCKET, ChannelCategory.TRANSPORT);
    }

    protected Participant participant(String roomId, String participantId) {
        return Participant.of(roomId, participantId, ParticipantRole.MEMBER);
    }

    protected List<RoomEvent> commitMessages(String roomId, int count) {
        return commitMessagesFrom(roomId, "ch-a", count);
    }

    protected List<RoomEvent> commitMessagesFrom(String roomId, String channelId, int count) {
        List<RoomEvent> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stored.add(commit(message(roomId, channelId, "user-" + channelId, "message " + i)));
        }
        return stored;
    }

    /** Every event of the room, read page by page in ascending index order. */
    protected List<RoomEvent> allEvents(String roomId) {
        List<RoomEvent> all = new ArrayList<>();
        List<RoomEvent> page = store.listEvents(roomId, EventQuery.after(-1, EventQuery.MAX_LIMIT));
        while (!page.isEmpty()) {
            all.addAll(page);
            page = store.listEvents(roomId, EventQuery.after(page.get(page.size() - 1).index(), EventQuery.MAX_LIMIT));
        }
        return all;
    }

    private List<RoomEvent> commitFrom(String roomId, int thread, int count) {
        List<RoomEvent> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stored.add(commit(message(roomId, "ch-" + thread, "user-" + thread, "m" + i)));
        }
        return stored;
    }

    private List<Long> indices(EventQuery query) {
        return store.listEvents("room-1", query).stream().map(RoomEvent::index).toList();
    }

    private static EventType typeFor(EventContent content) {
        if (content instanceof EditContent) {
            return EventType.EDIT;
        }
        if (content instanceof DeleteContent) {
            return EventType.DELETE;
        }
        if (content instanceof ToolCallContent) {
            return EventType.TOOL_CALL_END;
        }
        if (content instanceof SystemContent) {
            return EventType.SYSTEM;
        }
        return EventType.MESSAGE;
    }

    /** The error code of each outcome, {@code null} for a stored one. */
    private static List<String> failureCodes(List<CommitOutcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome.failure() == null ? null
                : outcome.failure() instanceof RoomKitException ex ? ex.code() : outcome.failure().toString())
                .toList();
    }

    private static void assertFailsWithCode(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOf(RoomKitException.class)
                .satisfies(e -> assertThat(((RoomKitException) e).code()).isEqualTo(code));
    }

    /** Runs {@code task(thread)} on {@code threads} threads released together and returns their results in order. */
    private static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<T> call = () -> {
                    ready.countDown();
                    if (!start.await(CONCURRENCY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start signal not given");
                    }
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            assertThat(ready.await(CONCURRENCY_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(CONCURRENCY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        }
        finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(CONCURRENCY_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @FunctionalInterface
    private interface ThreadTask<T> {
        T run(int thread) throws Exception;
    }
}
