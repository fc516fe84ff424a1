package io.roomkit.spring.redis;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON dialect of Python's {@code json} module, which Python RoomKit nodes on the same Redis read and write.
 * <p>
 * Python writes a float that is not a number as the bare tokens {@code NaN}, {@code Infinity} and
 * {@code -Infinity}, and reads them back as floats. Strict JSON has no such tokens, so Jackson by default refuses
 * them on input and writes them as strings on output, which Python would read back as strings. Events on Redis
 * therefore use this dialect in both directions; what goes to browsers stays strict JSON.
 */
public final class PythonCompatibleJson {

    private PythonCompatibleJson() {
    }

    /** A mapper that reads and writes the non-numeric tokens as Python does. */
    public static JsonMapper mapper() {
        return JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
    }
}
