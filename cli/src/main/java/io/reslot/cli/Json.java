package io.reslot.cli;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes the engine's reports as the one JSON document of {@code --json}. */
final class Json {

    // Thread-safe once configured; Io owns stdout, so the mapper must not close it.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {
    }

    /** Writes {@code value} to stdout as one line of JSON, then a newline. */
    static void print(Io io, Object value) throws IOException {
        MAPPER.writeValue(io.out(), value);
        io.out().write('\n');
    }
}
