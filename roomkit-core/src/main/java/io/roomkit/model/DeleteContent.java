package io.roomkit.model;

import java.util.Map;

/** The content of a {@link EventType#DELETE} event: the message to delete, who deletes it and why. */
public record DeleteContent(String targetEventId, DeleteType deleteType, String reason) implements EventContent {

    public static final String TYPE = "delete";

    public DeleteContent {
        ContentRules.requireNoNul(ContentRules.requireNonBlank(targetEventId, "delete.target_event_id"), "delete.target_event_id");
        deleteType = deleteType == null ? DeleteType.SENDER : deleteType;
    }

    /** A sender delete without a reason. */
    public DeleteContent(String targetEventId) {
        this(targetEventId, DeleteType.SENDER, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("target_event_id", targetEventId);
        map.put("delete_type", deleteType.value());
        map.put("reason", reason);
        return map;
    }

    static DeleteContent read(MapReader in) {
        return new DeleteContent(in.requiredString("target_event_id"),
                in.wireEnum("delete_type", DeleteType.class, DeleteType.SENDER), in.string("reason"));
    }
}
