package io.roomkit.benchmarks;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.function.Function;

/**
 * The JSON bodies of the MESSAGE frames the load tool reads, read with Jackson into records of the few fields
 * the tool looks at. RoomKit and the baseline write the same fields.
 * <p>
 * Typing events and messages are read on the clients' reading threads, once per delivery, up to a hundred
 * thousand times a second on the machine that also runs the server: so they are read with Jackson's streaming
 * parser, which skips the other fields and stops once it has the ones wanted (about a third of the CPU time of
 * binding the whole event to a record). A body that is not the JSON expected reads as a record of nulls rather
 * than throwing: the reading thread is the WebSocket client's, and the tool counts such a frame (unmatched, or an
 * error) instead of losing the connection.
 */
final class FrameBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Reads an event's {@code data} in the middle of the event: the event's other fields are no trailing tokens. */
    private static final ObjectReader DATA = JSON.readerFor(new TypeReference<Map<String, Object>>() {
    }).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Ephemeral NO_EPHEMERAL = new Ephemeral(null, null, null);
    private static final Event NO_EVENT = new Event(null);
    private static final ServerError NO_SERVER_ERROR = new ServerError(null, null, null);

    private FrameBodies() {
    }

    /**
     * An ephemeral event, from a room's {@code .ephemeral} topic. Its {@code data} is read only when it comes
     * before the type and the user, or when the event is {@code custom}, the one type whose data the tool looks at.
     */
    static Ephemeral ephemeral(String body) {
        return read(body, NO_EPHEMERAL, parser -> {
            String type = null;
            String userId = null;
            Map<String, Object> data = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "type" -> type = text(parser);
                    case "user_id" -> userId = text(parser);
                    case "data" -> data = parser.currentToken() == JsonToken.START_OBJECT
                            ? DATA.readValue(parser) : skip(parser);
                    default -> parser.skipChildren();
                }
                if (type != null && userId != null && !type.equals("custom")) {
                    break;
                }
            }
            return new Ephemeral(type, userId, data);
        });
    }

    /** A stored event, from a room's {@code .events} topic: its content's {@code body}, which is all the tool reads. */
    static Event event(String body) {
        return read(body, NO_EVENT, parser -> {
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_OBJECT && name.equals("content")) {
                    return new Event(new Event.Content(field(parser, "body")));
                }
                parser.skipChildren();
            }
            return NO_EVENT;
        });
    }

    /** A refusal, from a client's error queue. */
    static ServerError serverError(String body) {
        return read(body, NO_SERVER_ERROR, parser -> {
            String code = null;
            String message = null;
            String destination = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "code" -> code = text(parser);
                    case "message" -> message = text(parser);
                    case "destination" -> destination = text(parser);
                    default -> parser.skipChildren();
                }
            }
            return new ServerError(code, message, destination);
        });
    }

    /** Reads {@code body}, an object, with {@code reader}, which starts inside the object. */
    private static <T> T read(String body, T unreadable, Function<JsonParser, T> reader) {
        try (JsonParser parser = JSON.createParser(body)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? reader.apply(parser) : unreadable;
        }
        catch (JacksonException ex) {
            return unreadable;
        }
    }

    /** The text of the field {@code name} of the object the parser is in, or null; stops after it. */
    private static String field(JsonParser parser, String name) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            boolean wanted = parser.currentName().equals(name);
            parser.nextToken();
            if (wanted) {
                return text(parser);
            }
            parser.skipChildren();
        }
        return null;
    }

    /** The current value as text if it is a scalar (null for JSON null); an object or array is skipped, null. */
    private static String text(JsonParser parser) {
        return parser.currentToken().isScalarValue() ? parser.getValueAsString() : skip(parser);
    }

    private static <T> T skip(JsonParser parser) {
        parser.skipChildren();
        return null;
    }

    /**
     * An ephemeral event: typing ({@code typing_start}, {@code typing_stop}), presence and the like.
     *
     * @param type   the event's type
     * @param userId the user it is about, empty for a presence diff
     * @param data   the event's payload, if it was read ({@link FrameBodies#ephemeral})
     */
    record Ephemeral(String type, String userId, Map<String, Object> data) {

        boolean isTypingStart() {
            return "typing_start".equals(type);
        }

        boolean isTyping() {
            return isTypingStart() || "typing_stop".equals(type);
        }

        /**
         * A presence event ({@code presence_online}, {@code _away}, {@code _offline}), a custom status (a
         * {@code custom} event with {@code data.status}) or a presence diff (a {@code custom} event with
         * {@code data.kind = presence_diff}, which RoomKit sends for a large room instead of one event per user).
         */
        boolean isPresence() {
            if (type == null) {
                return false;
            }
            return type.startsWith("presence_") || type.equals("custom") && data != null
                    && ("presence_diff".equals(data.get("kind")) || data.containsKey("status"));
        }
    }

    /**
     * A stored event; the load tool reads the text of messages only.
     *
     * @param content the event's content, {@code null} if it has none
     */
    record Event(Content content) {

        /** The text of a text message, or {@code null}. */
        String text() {
            return content == null ? null : content.body();
        }

        /** @param body the text of a text content */
        record Content(String body) {
        }
    }

    /**
     * What the server says when it refuses a client's frame.
     *
     * @param code        why: {@code unavailable} and {@code rate_limited} are worth trying again
     * @param message     for a person
     * @param destination the destination of the refused frame
     */
    record ServerError(String code, String message, String destination) {

        /** Refused for a moment: the protocol asks a client to try again after a pause. */
        boolean isTransient() {
            return "unavailable".equals(code) || "rate_limited".equals(code);
        }
    }
}
