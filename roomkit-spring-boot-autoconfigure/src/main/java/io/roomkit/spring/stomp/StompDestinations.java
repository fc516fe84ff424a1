package io.roomkit.spring.stomp;

import io.roomkit.model.RoomIds;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The destinations of the RoomKit STOMP protocol (DESIGN §4). Dots separate the parts so that the same names
 * work as RabbitMQ routing keys behind a broker relay.
 */
public final class StompDestinations {

    /** Client-to-server prefix. */
    public static final String APP_PREFIX = "/app";
    /** Where refused client frames are reported, per user. */
    public static final String ERRORS = "/queue/errors";
    /** The user-side name of {@link #ERRORS}. */
    public static final String USER_ERRORS = "/user" + ERRORS;

    /**
     * Where membership notices ({@code RoomKit.MEMBERSHIP_CHANNEL}) travel between nodes behind a broker relay.
     * Not part of the client protocol: clients can neither subscribe nor send to it.
     */
    public static final String MEMBERSHIP_TOPIC = "/topic/roomkit.membership";

    private static final Pattern TOPIC = Pattern.compile("/topic/rooms\\.([^./]+)\\.(events|ephemeral)");
    private static final Pattern APP = Pattern.compile(
            "/app/rooms\\.([^./?]+)\\.(messages|edit|delete|typing|presence|reactions|read|moderate|history)(\\?.*)?");

    private StompDestinations() {
    }

    public static String eventsTopic(String roomId) {
        return "/topic/rooms." + roomId + ".events";
    }

    public static String ephemeralTopic(String roomId) {
        return "/topic/rooms." + roomId + ".ephemeral";
    }

    /** A destination that names a room, split into its room id and its action. */
    public record RoomDestination(String roomId, String action, boolean topic) {

        public boolean validRoom() {
            return RoomIds.isValid(roomId);
        }
    }

    /**
     * Parses {@code /topic/rooms.<id>.events|ephemeral}, {@code /app/rooms.<id>.<action>} and
     * {@code /app/rooms.<id>.history[?query]}.
     */
    public static Optional<RoomDestination> parse(String destination) {
        if (destination == null) {
            return Optional.empty();
        }
        Matcher topic = TOPIC.matcher(destination);
        if (topic.matches()) {
            return Optional.of(new RoomDestination(topic.group(1), topic.group(2), true));
        }
        Matcher app = APP.matcher(destination);
        // only the history request takes a query string; elsewhere it would match no handler and vanish
        if (app.matches() && (app.group(3) == null || app.group(2).equals("history"))) {
            return Optional.of(new RoomDestination(app.group(1), app.group(2), false));
        }
        return Optional.empty();
    }
}
