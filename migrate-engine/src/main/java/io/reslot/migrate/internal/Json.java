package io.reslot.migrate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;

/** JSON for the records reslot keeps in the cluster, with a plain {@link ObjectMapper}. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * @throws IllegalStateException if {@code value} cannot be written, which is a bug in its type
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @param where the key the text was read from, for the message
     * @throws MigrateException {@link MigrateErrorCode#PROTOCOL} naming {@code where} if the text is not a
     *     {@code type} (written by someone else, or by an incompatible version of reslot)
     */
    public static <T> T read(String text, Class<T> type, String where) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new MigrateException(MigrateErrorCode.PROTOCOL,
                    where + " holds something this version of reslot cannot read: " + e.getOriginalMessage(), e);
        }
    }
}
