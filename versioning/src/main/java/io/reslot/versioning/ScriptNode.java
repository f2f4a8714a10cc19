package io.reslot.versioning;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * A JSON or YAML value read into a tree that remembers where in the file each value and each key is, so that a
 * message about any of them can say {@code file:line:column}. Jackson's own trees forget positions.
 */
sealed interface ScriptNode {

    /** Where the value starts. */
    JsonLocation at();

    /** What the value is, for messages: {@code a string}, {@code a list}, ... */
    String kind();

    /**
     * A string, number, boolean or null.
     *
     * @param token which of those it is
     * @param text the text as written in the file
     * @param number a whole number as a {@link BigInteger}, another number as a {@link BigDecimal}, null when this is
     *     not a number or is one without a decimal value (YAML's {@code .inf}, {@code .nan})
     */
    record Scalar(JsonToken token, String text, Number number, JsonLocation at) implements ScriptNode {

        @Override
        public String kind() {
            return switch (token) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_EMBEDDED_OBJECT -> "binary data";
                default -> "null";
            };
        }
    }

    /** An object's property: its key and where the key is, and its value. */
    record Entry(String key, JsonLocation at, ScriptNode value) {
    }

    /** An object (a YAML mapping): its properties by key, in the order of the file. */
    record Mapping(Map<String, Entry> entries, JsonLocation at) implements ScriptNode {

        @Override
        public String kind() {
            return "an object";
        }
    }

    /** A list (a YAML sequence). */
    record Sequence(List<ScriptNode> items, JsonLocation at) implements ScriptNode {

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * Reads the value whose first token is the parser's current one, and leaves the parser on its last token.
     *
     * @param fileName where the text comes from, for messages
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} if an object has a key twice (JSON and YAML
     *     parsers would keep the last, which hides a mistake), or a value is a YAML alias (see {@link #next})
     * @throws IOException as the parser does, for text that is not well-formed
     */
    static ScriptNode read(JsonParser parser, String fileName) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (next(parser, fileName) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonLocation keyAt = parser.currentTokenLocation();
                next(parser, fileName);
                if (entries.containsKey(key)) {
                    throw VersioningException.badScript(where(fileName, keyAt) + "'" + key + "' is given twice; "
                            + "keep one");
                }
                entries.put(key, new Entry(key, keyAt, read(parser, fileName)));
            }
            return new Mapping(Collections.unmodifiableMap(entries), at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<ScriptNode> items = new ArrayList<>();
            while (next(parser, fileName) != JsonToken.END_ARRAY) {
                items.add(read(parser, fileName));
            }
            return new Sequence(Collections.unmodifiableList(items), at);
        }
        return new Scalar(token, parser.getText(), number(parser, token), at);
    }

    /**
     * The parser's next token. A YAML alias ({@code *name}) is refused: Jackson gives the anchor's name in place of the
     * value it stands for, so a step would silently get the wrong text.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} at the alias
     */
    static JsonToken next(JsonParser parser, String fileName) throws IOException {
        JsonToken token = parser.nextToken();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw VersioningException.badScript(where(fileName, parser.currentTokenLocation()) + "'*"
                    + parser.getText() + "' is a YAML alias, which a script cannot use; write the value out in full");
        }
        return token;
    }

    private static Number number(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getBigIntegerValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            try {
                return parser.getDecimalValue();
            } catch (NumberFormatException | StreamReadException e) {
                return null; // infinite or not a number
            }
        }
        return null;
    }

    /** {@code file:line:column: }, or {@code file: } when the position is unknown. */
    static String where(String fileName, JsonLocation at) {
        return at == null || at.getLineNr() < 1
                ? fileName + ": "
                : fileName + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": ";
    }
}
