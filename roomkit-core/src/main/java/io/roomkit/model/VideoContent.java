package io.roomkit.model;

import java.util.Map;

/** A video by URL, with an optional thumbnail. */
public record VideoContent(String url, String mimeType, Double durationSeconds, String thumbnailUrl)
        implements EventContent {

    public static final String TYPE = "video";

    public VideoContent {
        ContentRules.requireUrl(url, "video.url");
        mimeType = mimeType == null ? "video/mp4" : mimeType;
        ContentRules.requireNonNegative(durationSeconds, "video.duration_seconds");
        if (thumbnailUrl != null) {
            ContentRules.requireUrl(thumbnailUrl, "video.thumbnail_url");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("url", url);
        map.put("mime_type", mimeType);
        map.put("duration_seconds", durationSeconds);
        map.put("thumbnail_url", thumbnailUrl);
        return map;
    }

    static VideoContent read(MapReader in) {
        return new VideoContent(in.requiredString("url"), in.string("mime_type"), in.optionalDouble("duration_seconds"),
                in.string("thumbnail_url"));
    }
}
