package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.Map;

/**
 * The content of a room event, tagged on the wire by {@link #type()}. Records validate their own
 * invariants on construction and throw {@code invalid_content} {@link InvalidInputException}s.
 */
public sealed interface EventContent permits TextContent, RichContent, MediaContent, AudioContent, VideoContent,
        LocationContent, CompositeContent, SystemContent, TemplateContent, EditContent, DeleteContent,
        ToolCallContent {

    /** The wire tag, for example {@code text} or {@code edit}. */
    String type();

    /** The snake_case wire form, including the {@code type} tag. */
    Map<String, Object> toMap();

    /** Reads the wire form written by {@link #toMap()} (or by the Python RoomKit). */
    static EventContent fromMap(Map<String, ?> map) {
        return fromMap(map, 0);
    }

    /** Reads a content map, refusing nesting deeper than {@link CompositeContent#MAX_DEPTH}. */
    static EventContent fromMap(Map<String, ?> map, int depth) {
        MapReader in = MapReader.of(map, "content");
        String type = in.requiredString("type");
        return switch (type) {
            case TextContent.TYPE -> TextContent.read(in);
            case RichContent.TYPE -> RichContent.read(in);
            case MediaContent.TYPE -> MediaContent.read(in);
            case AudioContent.TYPE -> AudioContent.read(in);
            case VideoContent.TYPE -> VideoContent.read(in);
            case LocationContent.TYPE -> LocationContent.read(in);
            case CompositeContent.TYPE -> CompositeContent.read(in, depth);
            case SystemContent.TYPE -> SystemContent.read(in);
            case TemplateContent.TYPE -> TemplateContent.read(in);
            case EditContent.TYPE -> EditContent.read(in, depth);
            case DeleteContent.TYPE -> DeleteContent.read(in);
            case ToolCallContent.TYPE -> ToolCallContent.read(in);
            default -> throw InvalidInputException.content("Unknown content type '" + type + "'");
        };
    }

    /** The readable text of this content, for previews and AI context; {@code ""} when there is none. */
    default String plainText() {
        return "";
    }
}
