package io.roomkit.model;

import java.util.Map;

/** A file or image by URL ({@code http://}, {@code https://} or {@code data:}). */
public record MediaContent(String url, String mimeType, String filename, Long sizeBytes, String caption)
        implements EventContent {

    public static final String TYPE = "media";

    public MediaContent {
        ContentRules.requireUrl(url, "media.url");
        ContentRules.requireNonBlank(mimeType, "media.mime_type");
        ContentRules.requireNonNegative(sizeBytes, "media.size_bytes");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return caption != null ? caption : (filename != null ? filename : "");
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("url", url);
        map.put("mime_type", mimeType);
        map.put("filename", filename);
        map.put("size_bytes", sizeBytes);
        map.put("caption", caption);
        return map;
    }

    static MediaContent read(MapReader in) {
        return new MediaContent(in.requiredString("url"), in.requiredString("mime_type"), in.string("filename"),
                in.optionalLong("size_bytes"), in.string("caption"));
    }
}
