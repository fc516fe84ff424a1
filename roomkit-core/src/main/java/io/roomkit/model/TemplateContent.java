package io.roomkit.model;

import java.util.Map;

/** A provider template (WhatsApp, SMS, ...) by id, with its parameters and an optional rendered body. */
public record TemplateContent(String templateId, String language, Map<String, Object> parameters, String body)
        implements EventContent {

    public static final String TYPE = "template";

    public TemplateContent {
        ContentRules.requireNonBlank(templateId, "template.template_id");
        language = language == null ? "en" : language;
        parameters = ContentRules.copy(parameters);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return body == null ? "" : body;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("template_id", templateId);
        map.put("language", language);
        map.put("parameters", parameters);
        map.put("body", body);
        return map;
    }

    static TemplateContent read(MapReader in) {
        return new TemplateContent(in.requiredString("template_id"), in.string("language"), in.map("parameters"),
                in.string("body"));
    }
}
