package io.reslot.versioning;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A migration script read and checked: its steps and its checksum. A script is a JSON or YAML file holding an object
 * with one property, {@code steps}, a list of one-key objects, each naming a step and giving its options:
 *
 * <pre>{@code
 * steps:
 *   - move-slots:
 *       slots: 0-99
 *       to: 127.0.0.1:7003
 *       max-pause: 10
 *   - retag:
 *       match: "user:*"
 *       regex: "^user:(\\d+):(.*)$"
 *       to: "user:{$1}:$2"
 * }</pre>
 *
 * <p>The options of each step are those of the command of the same name (see {@link Step}). Every problem is a
 * {@link VersioningErrorCode#BAD_SCRIPT} failure whose message starts with {@code file:line:column: }.
 *
 * @param steps the steps, in order, at least one
 * @param checksum {@link Checksums#of} the script's text
 */
record MigrationScript(List<Step> steps, String checksum) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();
    /** How Jackson names a position inside its messages (its source is redacted by default). */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)]");

    MigrationScript {
        steps = List.copyOf(steps);
        Objects.requireNonNull(checksum, "checksum");
    }

    /** Whether {@code fileName} ends in one of the script endings, {@code .json}, {@code .yaml} or {@code .yml}. */
    static boolean isScriptName(String fileName) {
        return format(fileName) != null;
    }

    /**
     * Reads a script from the bytes of its file.
     *
     * @param fileName the file's name or path: its ending gives the format, and messages start with it
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} if the bytes are not UTF-8, or as
     *     {@link #parse}
     */
    static MigrationScript read(byte[] content, String fileName) {
        return parse(utf8(content, fileName), fileName);
    }

    /**
     * Reads a script from its text.
     *
     * @param fileName the file's name or path: its ending gives the format, and messages start with it
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} if the name has another ending, the text is
     *     not well-formed, or it is not a valid script
     */
    static MigrationScript parse(String text, String fileName) {
        Objects.requireNonNull(text, "text");
        JsonFactory format = format(Objects.requireNonNull(fileName, "fileName"));
        if (format == null) {
            throw VersioningException.badScript(fileName + ": a script is JSON or YAML, and its name must end in "
                    + ".json, .yaml or .yml");
        }
        // Jackson reads a byte order mark only from bytes; in text it would be a stray character.
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        ScriptNode root;
        try (JsonParser parser = format.createParser(body)) {
            if (ScriptNode.next(parser, fileName) == null) {
                throw VersioningException.badScript(fileName + ": the file is empty; it must hold an object with a "
                        + "'steps' list");
            }
            root = ScriptNode.read(parser, fileName);
            JsonToken after = ScriptNode.next(parser, fileName);
            if (after != null) {
                throw VersioningException.badScript(ScriptNode.where(fileName, parser.currentTokenLocation())
                        + "found more after the object that holds the steps; the file must hold that one object only");
            }
        } catch (StreamReadException e) {
            throw VersioningException.badScript(syntaxError(fileName, e), e);
        } catch (IOException e) {
            throw VersioningException.badScript(fileName + ": cannot read the script: " + e.getMessage(), e);
        }
        return new MigrationScript(new StepParser(fileName).steps(root), Checksums.of(text));
    }

    private static JsonFactory format(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return JSON;
        }
        return lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : null;
    }

    /** Decodes strict UTF-8: a byte that is not part of a well-formed sequence is an error, not a U+FFFD. */
    private static String utf8(byte[] content, String fileName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw VersioningException.badScript(fileName + ": the file is not UTF-8 text (byte " + in.position()
                    + " of " + content.length + " starts an invalid sequence); save it as UTF-8");
        }
        return out.flip().toString();
    }

    /**
     * {@code file:line:column: reason} for text that is not well-formed JSON or YAML, with SnakeYAML's own position
     * (that of the problem rather than of the last token) and without Jackson's notes about its configuration.
     */
    private static String syntaxError(String fileName, StreamReadException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            return fileName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + yaml.getProblem()
                    + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")");
        }
        String reason = SOURCE.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
        return ScriptNode.where(fileName, e.getLocation()) + reason;
    }
}
