package io.reslot.migrate.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.reslot.slot.SlotSet;

/** Jackson reads and writes a {@link SlotSet} as its text form, {@code "0-99,500"}; the empty set as {@code ""}. */
public final class SlotSetJson {

    private SlotSetJson() {
    }

    /** Writes a slot set as a string. */
    public static final class Writer extends StdSerializer<SlotSet> {

        private static final long serialVersionUID = 1L;

        public Writer() {
            super(SlotSet.class);
        }

        @Override
        public void serialize(SlotSet value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    /** Reads a slot set from a string; a malformed one is reported with the parser's location. */
    public static final class Reader extends StdDeserializer<SlotSet> {

        private static final long serialVersionUID = 1L;

        public Reader() {
            super(SlotSet.class);
        }

        @Override
        public SlotSet deserialize(JsonParser p, DeserializationContext context) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (SlotSet) context.handleUnexpectedToken(SlotSet.class, p);
            }
            if (text.isEmpty()) {
                return SlotSet.empty(); // what the writer makes of the empty set
            }
            try {
                return SlotSet.parse(text);
            } catch (IllegalArgumentException e) {
                return (SlotSet) context.handleWeirdStringValue(SlotSet.class, text, e.getMessage());
            }
        }
    }
}
