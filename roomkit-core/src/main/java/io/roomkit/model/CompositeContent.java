package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Several contents sent as one event; non-empty, nested at most {@value #MAX_DEPTH} levels. */
public record CompositeContent(List<EventContent> parts) implements EventContent {

    public static final String TYPE = "composite";
    /** Deepest nesting of composites accepted. */
    public static final int MAX_DEPTH = 5;

    public CompositeContent {
        if (parts == null || parts.isEmpty()) {
            throw InvalidInputException.content("composite.parts must not be empty");
        }
        parts = List.copyOf(parts);
        if (depth(parts) > MAX_DEPTH) {
            throw InvalidInputException.content("composite content is nested deeper than " + MAX_DEPTH);
        }
    }

    private static int depth(List<EventContent> parts) {
        int deepest = 0;
        for (EventContent part : parts) {
            if (part instanceof CompositeContent nested) {
                deepest = Math.max(deepest, depth(nested.parts()));
            }
        }
        return deepest + 1;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return parts.stream().map(EventContent::plainText).filter(text -> !text.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("parts", parts.stream().map(EventContent::toMap).toList());
        return map;
    }

    static CompositeContent read(MapReader in, int depth) {
        if (depth >= MAX_DEPTH) {
            throw InvalidInputException.content("composite content is nested deeper than " + MAX_DEPTH);
        }
        return new CompositeContent(in.listOfMaps("parts").stream()
                .map(part -> EventContent.fromMap(part, depth + 1)).toList());
    }
}
