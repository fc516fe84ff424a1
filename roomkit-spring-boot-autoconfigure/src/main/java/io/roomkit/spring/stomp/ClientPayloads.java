package io.roomkit.spring.stomp;

import io.roomkit.ErrorCodes;
import io.roomkit.InvalidInputException;
import io.roomkit.RoomKitException;
import io.roomkit.model.CompositeContent;
import io.roomkit.model.EventContent;
import io.roomkit.model.MapReader;
import io.roomkit.model.TextContent;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what clients send. Content is either a string (text) or a content object of a type people may send;
 * system, edit, delete and tool-call content only come from the server.
 */
final class ClientPayloads {

    /** Most users one message may mention. */
    static final int MAX_MENTIONS = 50;

    /** Longest text a client may send in one message. */
    static final int MAX_TEXT = 16_000;

    private static final Set<String> CLIENT_CONTENT_TYPES = Set.of("text", "rich", "media", "audio", "video",
            "location", "composite");

    private ClientPayloads() {
    }

    static MapReader read(Map<String, Object> payload, String what) {
        return MapReader.of(payload, what);
    }

    static EventContent content(MapReader in, String key) {
        Object raw = in.rawValue(key);
        EventContent content;
        if (raw instanceof String text) {
            if (text.isBlank()) {
                throw InvalidInputException.content(key + " must not be blank");
            }
            content = new TextContent(text);
        }
        else if (raw instanceof Map<?, ?>) {
            content = EventContent.fromMap(in.requiredMap(key));
            requireClientType(content, key);
        }
        else if (raw == null) {
            throw InvalidInputException.content(key + " is required");
        }
        else {
            throw InvalidInputException.content(key + " must be a string or a content object");
        }
        if (content.plainText().length() > MAX_TEXT) {
            throw new RoomKitException(ErrorCodes.CONTENT_TOO_LARGE, key + " is " + content.plainText().length()
                    + " characters long; at most " + MAX_TEXT + " are accepted");
        }
        return content;
    }

    /** Also every part of a composite: a system part inside one would pass for a server notice. */
    private static void requireClientType(EventContent content, String key) {
        if (!CLIENT_CONTENT_TYPES.contains(content.type())) {
            throw InvalidInputException.content(key + " of type '" + content.type() + "' cannot be sent by a "
                    + "client; use one of " + CLIENT_CONTENT_TYPES);
        }
        if (content instanceof CompositeContent composite) {
            composite.parts().forEach(part -> requireClientType(part, key));
        }
    }

    /** An event id: a NUL character is refused ({@code invalid_argument}), as no store could hold it. */
    static String eventId(MapReader in, String key) {
        String id = in.requiredString(key);
        if (id.indexOf('\0') >= 0) {
            throw InvalidInputException.argument(key + " must not contain a NUL character");
        }
        return id;
    }

    static String requiredShort(MapReader in, String key, int max) {
        String value = in.requiredString(key);
        if (value.isBlank() || value.length() > max) {
            throw InvalidInputException.content(key + " must be 1 to " + max + " characters");
        }
        return value;
    }

    /**
     * The users a message mentions: {@code mentions}, a list of at most {@value #MAX_MENTIONS} user ids (1 to 255
     * characters each, repeats dropped); empty when absent.
     */
    static List<String> mentions(MapReader in) {
        Object raw = in.rawValue("mentions");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> users) || users.size() > MAX_MENTIONS) {
            throw InvalidInputException.content("mentions must be a list of at most " + MAX_MENTIONS + " user ids");
        }
        for (Object user : users) {
            if (!(user instanceof String id) || id.isBlank() || id.length() > 255 || id.indexOf('\0') >= 0) {
                throw InvalidInputException.content("mentions must hold user ids of 1 to 255 characters");
            }
        }
        return users.stream().map(String.class::cast).distinct().toList();
    }
}
