package io.roomkit.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure, before traffic is measured, that every client receives the typing events of every member of its
 * room: every client sends typing stops until each has had one from every member. Only then is every
 * subscription known to be live on the server, which counting subscriptions alone does not prove.
 * <p>
 * Greetings are stops and measured typing sends begin with a start, so a greeting that arrives after the
 * handshake is recognised and left out ({@link TypingWorkload}).
 */
final class Handshake {

    private final int clients;
    private final int rooms;
    /**
     * {@code greeted[receiver][member]}: the receiver has a stop from the member. Not synchronized: only the
     * receiver's frames touch its row, and its WebSocket hands them over one at a time.
     */
    private final boolean[][] greeted;
    private final int[] greetedCount;
    private final CountDownLatch complete;

    Handshake(int clients, int rooms) {
        this.clients = clients;
        this.rooms = rooms;
        this.greeted = new boolean[clients][];
        this.greetedCount = new int[clients];
        for (int i = 0; i < clients; i++) {
            greeted[i] = new boolean[LoadRooms.size(i % rooms, clients, rooms)];
        }
        this.complete = new CountDownLatch(clients);
    }

    /**
     * A typing event during the handshake: {@code receiver} got it from the {@code member}-th client of its room
     * (client {@code member * rooms + room}). Starts are not greetings.
     */
    void onTyping(int receiver, int member, boolean start) {
        if (!start && !greeted[receiver][member]) {
            greeted[receiver][member] = true;
            if (++greetedCount[receiver] == greeted[receiver].length) {
                complete.countDown();
            }
        }
    }

    /**
     * Sends greetings until every client has them all, then lets the last ones drain.
     *
     * @throws IllegalStateException if that takes more than 60 s
     */
    void perform(StompConnection[] connections, ClientPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            for (int i = 0; i < clients; i++) {
                connections[i].sendJson(LoadRooms.typingDestination(LoadRooms.roomOf(i, rooms)),
                        "{\"typing\":false}");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The handshake did not complete: " + complete.getCount()
                        + " clients miss typing events of their room (" + pool.firstProblem() + ")");
            }
        }
        // a round of greetings per wait: a stop lost to a subscription not yet live is sent again
        while (!complete.await(Math.max(1, clients / 200), TimeUnit.SECONDS));
        Thread.sleep(1000); // settle time: the greetings' last deliveries must not fall into the measured window
    }
}
