package io.roomkit.model;

import java.util.Map;

/** A voice message or audio file by URL, with an optional transcript. */
public record AudioContent(String url, String mimeType, Double durationSeconds, String transcript)
        implements EventContent {

    public static final String TYPE = "audio";

    public AudioContent {
        ContentRules.requireUrl(url, "audio.url");
        mimeType = mimeType == null ? "audio/ogg" : mimeType;
        ContentRules.requireNonNegative(durationSeconds, "audio.duration_seconds");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return transcript == null ? "" : transcript;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("url", url);
        map.put("mime_type", mimeType);
        map.put("duration_seconds", durationSeconds);
        map.put("transcript", transcript);
        return map;
    }

    static AudioContent read(MapReader in) {
        return new AudioContent(in.requiredString("url"), in.string("mime_type"), in.optionalDouble("duration_seconds"),
                in.string("transcript"));
    }
}
