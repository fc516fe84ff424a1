package io.roomkit.benchmarks;

/**
 * Typing traffic: clients send typing frames to {@code /app/rooms.<id>.typing}, and every member of the room, the
 * sender included, receives each typing event. A client's frames alternate between start and stop, as a
 * person's do: RoomKit absorbs a start that renews a recent one (no broadcast), so a stream of starts would not
 * measure event delivery.
 * <p>
 * A typing event carries no id of the send it answers, so it is matched by its order: the n-th typing event a
 * client receives from a sender after the handshake is that sender's n-th measured send, whose due time the
 * sender's {@link SendLog} holds.
 */
final class TypingWorkload extends TrafficWorkload {

    private static final String START = "{\"typing\":true}";
    private static final String STOP = "{\"typing\":false}";

    private final SendLog[] logs;
    /**
     * {@code seen[receiver][member]}: typing events the receiver has matched from that member of its room. Like
     * {@link #synced}, not synchronized: only the receiver's frames touch its row, and its WebSocket hands them
     * over one at a time.
     */
    private final int[][] seen;
    /** {@code synced[receiver][member]}: the receiver has had the member's first measured send, a start. */
    private final boolean[][] synced;

    TypingWorkload(String label, ServerHandle server, LoadOptions options) {
        super(label, server, options, LoadRooms::typingDestination);
        this.logs = new SendLog[clients];
        this.seen = new int[clients][];
        this.synced = new boolean[clients][];
        for (int i = 0; i < clients; i++) {
            logs[i] = new SendLog();
            int members = LoadRooms.size(i % rooms, clients, rooms);
            seen[i] = new int[members];
            synced[i] = new boolean[members];
        }
    }

    @Override
    void send(int client, StompConnection connection, String destination, long due) {
        // the pacing thread and the client's reading thread both send: the log's order must be the wire's
        synchronized (connection) {
            int sequence = logs[client].append(due);
            connection.sendJson(destination, sequence % 2 == 0 ? START : STOP);
        }
    }

    @Override
    void onTyping(int sender, int receiver, boolean start, long receivedNanos) {
        int member = sender / rooms;
        if (!synced[receiver][member]) {
            if (!start) {
                return; // a greeting that arrived late: measured sends begin with a start
            }
            synced[receiver][member] = true;
        }
        long due = logs[sender].get(seen[receiver][member]++);
        if (due == Long.MIN_VALUE) {
            unmatched();
            return;
        }
        arrived(sender, receiver, due, receivedNanos);
    }

    @Override
    void onEvent(int receiver, FrameBodies.Event event, long receivedNanos) {
        // typing sends no stored events: whatever arrives on the events topic is not this workload's
    }
}
