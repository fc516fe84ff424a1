package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.List;
import java.util.Map;

/** Formatted text ({@code markdown} or {@code html}) with optional buttons, cards and quick replies. */
public record RichContent(String body, String format, String plainTextFallback, List<Map<String, Object>> buttons,
        List<Map<String, Object>> cards, List<String> quickReplies) implements EventContent {

    public static final String TYPE = "rich";

    public RichContent {
        ContentRules.require(body, "rich.body");
        format = format == null ? "markdown" : format;
        if (!format.equals("markdown") && !format.equals("html")) {
            throw InvalidInputException.content("rich.format must be markdown or html");
        }
        buttons = ContentRules.copy(buttons);
        cards = ContentRules.copy(cards);
        quickReplies = ContentRules.copy(quickReplies);
    }

    /** Markdown without extras. */
    public RichContent(String body) {
        this(body, "markdown", null, List.of(), List.of(), List.of());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return plainTextFallback != null ? plainTextFallback : body;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("body", body);
        map.put("format", format);
        map.put("plain_text", plainTextFallback);
        map.put("buttons", buttons);
        map.put("cards", cards);
        map.put("quick_replies", quickReplies);
        return map;
    }

    static RichContent read(MapReader in) {
        return new RichContent(in.requiredString("body"), in.string("format"), in.string("plain_text"),
                in.listOfMaps("buttons"), in.listOfMaps("cards"), in.listOfStrings("quick_replies"));
    }
}
