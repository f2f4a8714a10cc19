package io.reslot.cli;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes the engine's reports as the one JSON document of {@code --json}. */
final class Json {

    // Thread-safe once configured; Io owns stdout, so the mapper must not close it.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {
    }

    /** {@code value} as one line of JSON, without a line end. */
    static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // only a type that Jackson cannot serialise gets here: a bug of ours, not a condition to handle
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Writes {@code value} to stdout as one line of JSON, then a newline. */
    static void print(Io io, Object value) throws IOException {
        MAPPER.writeValue(io.out(), value);
        io.out().write('\n');
    }
}
