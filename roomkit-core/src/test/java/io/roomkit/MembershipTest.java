package io.roomkit;

import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import io.roomkit.model.Ban;
import io.roomkit.model.EventQuery;
import io.roomkit.model.EventType;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.realtime.EphemeralEvent;
import io.roomkit.realtime.EphemeralEventType;
import io.roomkit.pipeline.ModeratorCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Joining, leaving, removals and bans through the {@link RoomKit} API: the store, the timeline and the notices. */
class MembershipTest {

    private static final String ROOM = "room-1";

    private RoomKit kit = new RoomKit();

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void banRemovesTheParticipantRecordsTheBanAndStoresASystemEvent() {
        kit.createRoom(ROOM);
        kit.addParticipant(ROOM, "owner", ParticipantRole.OWNER);
        kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER);

        Ban ban = kit.banParticipant(ROOM, "bob", "spam", "owner");

        assertThat(ban.reason()).isEqualTo("spam");
        assertThat(kit.isBanned(ROOM, "bob")).isTrue();
        assertThat(kit.getParticipant(ROOM, "bob")).isEmpty();
        assertThat(kit.bans(ROOM)).containsExactly(ban);
        SystemContent content = onlySystemEvent();
        assertThat(content.code()).isEqualTo(SystemContent.PARTICIPANT_BANNED);
        assertThat(content.data()).containsEntry("user_id", "bob").containsEntry("by", "owner")
                .containsEntry("reason", "spam");
    }

    @Test
    void aBannedUserCannotBeAddedOrJoinUntilUnbanned() {
        kit.createRoom(ROOM);
        kit.banParticipant(ROOM, "bob", null);

        assertThatThrownBy(() -> kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER))
                .isInstanceOfSatisfying(RoomKitException.class, ex -> assertThat(ex.code()).isEqualTo("banned"));
        assertThatThrownBy(() -> kit.joinRoom(ROOM, "bob", ParticipantRole.MEMBER))
                .isInstanceOfSatisfying(RoomKitException.class, ex -> assertThat(ex.code()).isEqualTo("banned"));

        assertThat(kit.unbanParticipant(ROOM, "bob")).isTrue();
        assertThat(kit.unbanParticipant(ROOM, "bob")).isFalse();
        kit.joinRoom(ROOM, "bob", ParticipantRole.MEMBER);

        assertThat(codes()).containsExactly(SystemContent.PARTICIPANT_BANNED, SystemContent.PARTICIPANT_UNBANNED,
                SystemContent.PARTICIPANT_JOINED);
        assertThat(kit.getParticipant(ROOM, "bob")).isPresent();
    }

    @Test
    void removalAndLeavingAreRecordedOnceAndOnlyForParticipants() {
        kit.createRoom(ROOM);
        kit.joinRoom(ROOM, "bob", ParticipantRole.MEMBER);
        kit.joinRoom(ROOM, "bob", ParticipantRole.MEMBER);
        kit.joinRoom(ROOM, "carol", ParticipantRole.MEMBER);

        assertThat(kit.removeParticipant(ROOM, "bob")).isTrue();
        assertThat(kit.removeParticipant(ROOM, "bob")).isFalse();
        assertThat(kit.leaveRoom(ROOM, "carol")).isTrue();
        assertThat(kit.leaveRoom(ROOM, "carol")).isFalse();

        assertThat(codes()).containsExactly(SystemContent.PARTICIPANT_JOINED, SystemContent.PARTICIPANT_JOINED,
                SystemContent.PARTICIPANT_REMOVED, SystemContent.PARTICIPANT_LEFT);
        List<RoomEvent> events = kit.events(ROOM, EventQuery.latest(10));
        assertThat(events).extracting(RoomEvent::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(events.get(2).source().channelId()).isEqualTo(RoomKit.SYSTEM_CHANNEL_ID);
    }

    @Test
    void membershipEventsPassBlockingHooksAndReachAfterBroadcastListeners() {
        List<RoomEvent> seen = new CopyOnWriteArrayList<>();
        kit.addHook(Hook.of(HookTrigger.BEFORE_BROADCAST, "block-all", 0, (event, context) -> HookResult.block("no")));
        kit.addHook(Hook.of(HookTrigger.AFTER_BROADCAST, "listener", 0, (event, context) -> {
            seen.add(event);
            return HookResult.allow();
        }));
        kit.createRoom(ROOM);
        kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER);

        kit.removeParticipant(ROOM, "bob", "rude", "owner");

        assertThat(kit.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.SYSTEM);
            assertThat(((SystemContent) event.content()).code()).isEqualTo(SystemContent.PARTICIPANT_REMOVED);
            assertThat(event.source().participantId()).isEqualTo("owner");
        });
    }

    @Test
    void removalsAndBansAreAnnouncedOnTheMembershipChannel() throws InterruptedException {
        BlockingQueue<EphemeralEvent> notices = new LinkedBlockingQueue<>();
        kit.realtime().subscribe(RoomKit.MEMBERSHIP_CHANNEL, notices::add);
        kit.createRoom(ROOM);
        kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER);

        kit.removeParticipant(ROOM, "bob");
        kit.banParticipant(ROOM, "carol", null);

        EphemeralEvent removed = notices.poll(10, TimeUnit.SECONDS);
        EphemeralEvent banned = notices.poll(10, TimeUnit.SECONDS);
        assertThat(removed.type()).isEqualTo(EphemeralEventType.CUSTOM);
        assertThat(removed.roomId()).isEqualTo(ROOM);
        assertThat(removed.data()).isEqualTo(Map.of("kind", "membership", "action", "removed", "user_id", "bob"));
        assertThat(banned.data()).containsEntry("action", "banned").containsEntry("user_id", "carol");
    }

    @Test
    void ownersAndTheModeratorCheckMayModerate() {
        kit.close();
        kit = RoomKit.builder().moderatorCheck((participantId, context) -> participantId.equals("mod")).build();
        kit.createRoom(ROOM);
        kit.addParticipant(ROOM, "owner", ParticipantRole.OWNER);
        kit.addParticipant(ROOM, "bob", ParticipantRole.MEMBER);

        assertThat(kit.isModerator(ROOM, "owner")).isTrue();
        assertThat(kit.isModerator(ROOM, "mod")).isTrue();
        assertThat(kit.isModerator(ROOM, "bob")).isFalse();
        assertThat(kit.isModerator(ROOM, null)).isFalse();
        assertThat(ModeratorCheck.ownersOnly().isModerator("bob", null)).isFalse();
    }

    @Test
    void theReadmeExampleRecordsEachChange() {
        kit.createRoom("room-1");
        kit.addParticipant("room-1", "bob", ParticipantRole.MEMBER);
        kit.addParticipant("room-1", "carol", ParticipantRole.MEMBER);
        // README:moderation-api:begin
        kit.removeParticipant("room-1", "bob");                          // participant_removed; false if not a participant
        kit.removeParticipant("room-1", "carol", "off topic", "alice");  // with a reason and the moderator
        Ban ban = kit.banParticipant("room-1", "mallory", "spam");       // participant_banned; also bans in advance
        boolean banned = kit.isBanned("room-1", "mallory");              // true; kit.bans("room-1") lists them
        kit.unbanParticipant("room-1", "mallory");                       // participant_unbanned
        kit.joinRoom("room-1", "dave", ParticipantRole.MEMBER);          // participant_joined
        kit.leaveRoom("room-1", "dave");                                 // participant_left
        // README:moderation-api:end

        assertThat(ban.reason()).isEqualTo("spam");
        assertThat(banned).isTrue();
        assertThat(kit.events("room-1", EventQuery.latest(10))).extracting(event -> ((SystemContent) event.content())
                .code()).containsExactly("participant_removed", "participant_removed", "participant_banned",
                        "participant_unbanned", "participant_joined", "participant_left");
    }

    private SystemContent onlySystemEvent() {
        List<RoomEvent> events = kit.events(ROOM, EventQuery.latest(10));
        assertThat(events).hasSize(1);
        return (SystemContent) events.get(0).content();
    }

    private List<String> codes() {
        return kit.events(ROOM, EventQuery.latest(50)).stream()
                .map(event -> ((SystemContent) event.content()).code()).toList();
    }
}
