package io.roomkit.spring.stomp;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What belongs to one STOMP session rather than to its user: errors go to the session that sent the refused
 * frame (a user with several tabs), a destination is held once per session, an UNSUBSCRIBE of an id the
 * session does not hold is harmless, and DISCONNECT ends the connection after its RECEIPT.
 */
class SessionScopedProtocolTest extends OpenRoomsStompTestSupport {

    private static final int BAD_FRAMES = 20;

    @Test
    void errorsReachTheTabThatSentTheFrameInOrderAndNoOtherTab() throws Exception {
        StompTestClient firstTab = connectRaw(user("alice"));
        StompTestClient secondTab = connectRaw(user("alice"));
        StompTestClient thirdTab = connectRaw(user("alice"));
        sync(firstTab);
        sync(secondTab);
        sync(thirdTab);

        for (int i = 0; i < BAD_FRAMES; i++) {
            firstTab.sendRaw(i % 2 == 0 ? app("messages") : app("typing"), "{\"n\": " + i + "}");
        }
        secondTab.sendRaw(app("presence"), "{}");

        List<Map<String, Object>> first = Frames.take(firstTab.errorQueue(), BAD_FRAMES);
        assertThat(first).extracting(error -> error.get("destination"))
                .containsExactlyElementsOf(alternating(BAD_FRAMES));
        assertThat(secondTab.nextError()).containsEntry("destination", app("presence"));
        sync(firstTab);
        sync(thirdTab);
        assertThat(firstTab.errorQueue()).isEmpty();
        assertThat(secondTab.errorQueue()).isEmpty();
        assertThat(thirdTab.errorQueue()).isEmpty();
    }

    private List<Object> alternating(int count) {
        List<Object> destinations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            destinations.add(i % 2 == 0 ? app("messages") : app("typing"));
        }
        return destinations;
    }

    @Test
    void aSecondSubscriptionToTheSameTopicIsRefusedAndMessagesArriveOnce() throws Exception {
        StompTestClient alice = connect(user("alice"));
        BlockingQueue<Map<String, Object>> first = alice.subscribe(events());
        BlockingQueue<Map<String, Object>> second = alice.subscribe(events());

        assertThat(alice.nextError()).containsEntry("code", "already_subscribed")
                .containsEntry("destination", events());
        post(alice, first, "once");
        sync(alice);
        assertThat(second).isEmpty();
        assertThat(first).isEmpty();
    }

    @Test
    void aTopicCanBeSubscribedAgainAfterItsUnsubscribe() throws Exception {
        StompTestClient alice = connect(user("alice"));
        BlockingQueue<Map<String, Object>> first = new LinkedBlockingQueue<>();
        StompSession.Subscription subscription = alice.subscribe(events(), first);
        sync(alice);
        subscription.unsubscribe();
        BlockingQueue<Map<String, Object>> again = alice.subscribe(events());

        post(alice, again, "after resubscribing");
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(first).isEmpty();
    }

    @Test
    void historyRequestAndReplyCanBeRepeatedWithUnsubscribe() throws Exception {
        StompTestClient alice = connect(user("alice"));
        BlockingQueue<Map<String, Object>> events = alice.subscribe(events());
        for (int i = 0; i < 3; i++) {
            BlockingQueue<Map<String, Object>> reply = new LinkedBlockingQueue<>();
            StompSession.Subscription history = alice.subscribe(app("history"), reply);
            StompTestClient.await(reply, any -> true);
            history.unsubscribe();
        }

        post(alice, events, "still connected");
        assertThat(alice.errorQueue()).isEmpty();
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void unsubscribeOfAnIdTheSessionNeverHeldKeepsTheSession() throws Exception {
        RawStompSocket raw = RawStompSocket.connect(port, user("mallory"));
        assertThat(raw.next()).startsWith("CONNECTED");

        raw.sendFrame("UNSUBSCRIBE\nid:never-subscribed\n\n");
        raw.sendFrame("SEND\ndestination:" + app("messages") + "\ncontent-type:application/json\n\n"
                + "{\"content\": \"after a stray unsubscribe\"}");
        raw.sendFrame("SUBSCRIBE\nid:h1\ndestination:" + app("history") + "\n\n");

        assertThat(raw.next()).startsWith("MESSAGE").contains("after a stray unsubscribe");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void disconnectClosesTheSocketAfterItsReceiptAndLaterFramesAreNotHandled() throws Exception {
        RawStompSocket raw = RawStompSocket.connect(port, user("mallory"));
        assertThat(raw.next()).startsWith("CONNECTED");
        StompTestClient bob = connect(user("bob"));
        BlockingQueue<Map<String, Object>> bobEvents = bob.subscribe(events());
        sync(bob);

        raw.sendFrame("DISCONNECT\nreceipt:bye\n\n\u0000SEND\ndestination:" + app("messages")
                + "\ncontent-type:application/json\n\n{\"content\": \"in the same message after DISCONNECT\"}");

        List<String> frames = raw.untilClosed();
        assertThat(frames.get(0)).startsWith("RECEIPT").contains("receipt-id:bye");
        assertThat(frames).last().asString().startsWith("closed");
        raw.sendFrame("SEND\ndestination:" + app("messages") + "\ncontent-type:application/json\n\n"
                + "{\"content\": \"after the close\"}");
        post(bob, bobEvents, "bob's marker");
        assertThat(stored()).extracting(event -> event.content().plainText()).containsExactly("bob's marker");
    }
}
