package io.roomkit.model;

import java.util.Map;

/**
 * The content of an {@link EventType#EDIT} event: the message it replaces the content of, and the new
 * content. {@code editSource} {@code "system"} claims a system edit, which only system channels may make.
 */
public record EditContent(String targetEventId, EventContent newContent, String editSource) implements EventContent {

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
        return map;
    }

    /** The same edit with other new content (used to redact the history of a deleted message). */
    public EditContent withNewContent(EventContent content) {
        return new EditContent(targetEventId, content, editSource);
    }

    static EditContent read(MapReader in, int depth) {
        return new EditContent(in.requiredString("target_event_id"),
                EventContent.fromMap(in.requiredMap("new_content"), depth + 1), in.string("edit_source"));
    }
}
