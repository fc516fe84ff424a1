package io.roomkit.benchmarks;

/**
 * Message traffic: clients send text messages to {@code /app/rooms.<id>.messages}, which every member of the
 * room, the sender included, receives as a stored event on {@code /topic/rooms.<id>.events}. Each message's text
 * is its {@link Stamp}, so that its delivery names the send it answers.
 */
final class MessagesWorkload extends TrafficWorkload {

    MessagesWorkload(String label, ServerHandle server, LoadOptions options) {
        super(label, server, options, LoadRooms::messagesDestination);
    }

    @Override
    void send(int client, StompConnection connection, String destination, long due) {
        connection.sendJson(destination, "{\"content\":\"" + new Stamp(client, due).text() + "\"}");
    }

    @Override
    void onTyping(int sender, int receiver, boolean start, long receivedNanos) {
        // typing events only serve the handshake here
    }

    @Override
    void onEvent(int receiver, FrameBodies.Event event, long receivedNanos) {
        Stamp stamp = Stamp.parse(event.text());
        if (stamp == null) {
            unmatched();
            return;
        }
        arrived(stamp.sender(), receiver, stamp.due(), receivedNanos);
    }

    /**
     * The text of a measured message, {@code <sender>:<due>}: who sent it and when it was due, in
     * {@link System#nanoTime} terms.
     */
    record Stamp(int sender, long due) {

        String text() {
            return sender + ":" + due;
        }

        /** The stamp that {@code text} is, or {@code null} if it is none. */
        static Stamp parse(String text) {
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon < 0) {
                return null;
            }
            try {
                return new Stamp(Integer.parseInt(text, 0, colon, 10),
                        Long.parseLong(text, colon + 1, text.length(), 10));
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
    }
}
