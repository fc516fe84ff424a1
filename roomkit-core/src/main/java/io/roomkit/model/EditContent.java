package io.roomkit.model;

import java.util.Map;

/**
 * The content of an {@link EventType#EDIT} event: the message it replaces the content of, and the new
 * content. {@code editSource} {@code "system"} claims a system edit, which only system channels may make.
 * <p>
 * {@code previousContent} is the version this edit replaced ({@code previous_content} on the wire), filled in by
 * the store when the edit is committed, so a message's versions are, oldest first, the first edit's
 * {@code previousContent} and then every edit's {@code newContent}. It is {@code null} on an edit that has not
 * been stored yet and on edits stored before it existed; whatever a writer puts there is replaced.
 */
public record EditContent(String targetEventId, EventContent newContent, String editSource,
        EventContent previousContent) implements EventContent {

    public static final String TYPE = "edit";
    /** The {@code editSource} that claims a system edit. */
    public static final String SYSTEM_SOURCE = "system";

    public EditContent {
        ContentRules.requireNoNul(ContentRules.requireNonBlank(targetEventId, "edit.target_event_id"), "edit.target_event_id");
        if (newContent == null) {
            throw io.roomkit.InvalidInputException.content("edit.new_content is required");
        }
    }

    public EditContent(String targetEventId, EventContent newContent) {
        this(targetEventId, newContent, null);
    }

    public EditContent(String targetEventId, EventContent newContent, String editSource) {
        this(targetEventId, newContent, editSource, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return newContent.plainText();
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("target_event_id", targetEventId);
        map.put("new_content", newContent.toMap());
        map.put("edit_source", editSource);
        if (previousContent != null) {
            map.put("previous_content", previousContent.toMap());
        }
        return map;
    }

    /** The same edit with other new content (a hook's modification). */
    public EditContent withNewContent(EventContent content) {
        return new EditContent(targetEventId, content, editSource, previousContent);
    }

    /** The same edit recording {@code replaced} as the version it replaced (see {@link #previousContent}). */
    public EditContent replacing(EventContent replaced) {
        return new EditContent(targetEventId, newContent, editSource, replaced);
    }

    /** This edit of a deleted message: both versions it holds become the message's tombstone. */
    public EditContent redactedWith(EventContent tombstone) {
        return new EditContent(targetEventId, tombstone, editSource, previousContent == null ? null : tombstone);
    }

    static EditContent read(MapReader in, int depth) {
        Map<String, Object> previous = in.map("previous_content");
        return new EditContent(in.requiredString("target_event_id"),
                EventContent.fromMap(in.requiredMap("new_content"), depth + 1), in.string("edit_source"),
                previous.isEmpty() ? null : EventContent.fromMap(previous, depth + 1));
    }
}
