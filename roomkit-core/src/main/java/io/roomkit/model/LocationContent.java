package io.roomkit.model;

import io.roomkit.InvalidInputException;

import java.util.Map;

/** A point on the map: latitude in [-90, 90], longitude in [-180, 180]. */
public record LocationContent(double latitude, double longitude, String label, String address)
        implements EventContent {

    public static final String TYPE = "location";

    public LocationContent {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw InvalidInputException.content("location.latitude must be within [-90, 90]");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw InvalidInputException.content("location.longitude must be within [-180, 180]");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String plainText() {
        return label != null ? label : (address != null ? address : "");
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> map = ContentRules.tagged(TYPE);
        map.put("latitude", latitude);
        map.put("longitude", longitude);
        map.put("label", label);
        map.put("address", address);
        return map;
    }

    static LocationContent read(MapReader in) {
        return new LocationContent(in.requiredDouble("latitude"), in.requiredDouble("longitude"), in.string("label"),
                in.string("address"));
    }
}
