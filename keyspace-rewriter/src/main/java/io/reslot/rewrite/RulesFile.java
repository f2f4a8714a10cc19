package io.reslot.rewrite;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a rules file token by token, so that every error, and every rule error {@link Rules#of} finds later, can
 * say at which line and column of the file it is. Data binding would be shorter, but it knows no positions once
 * the rules are built, and its messages name Java classes.
 */
final class RulesFile {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();
    /** How Jackson names a position inside its messages (its source is redacted by default). */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)]");

    private final String fileName;
    private final JsonParser parser;
    private final List<Rule> rules = new ArrayList<>();
    private final List<Positions> positions = new ArrayList<>();
    private JsonLocation listAt;

    private RulesFile(String fileName, JsonParser parser) {
        this.fileName = fileName;
        this.parser = parser;
    }

    static Rules read(Path file) {
        Objects.requireNonNull(file, "file");
        String fileName = file.toString();
        JsonFactory format = format(fileName);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw bad(fileName + ": cannot read the rules file: " + describe(e));
        }
        return parse(text, fileName, format);
    }

    static Rules parse(String text, String fileName) {
        Objects.requireNonNull(text, "text");
        return parse(text, fileName, format(Objects.requireNonNull(fileName, "fileName")));
    }

    private static Rules parse(String text, String fileName, JsonFactory format) {
        List<Rule> rules;
        RulesFile file;
        // Jackson reads a byte order mark only from bytes; in text it would be a stray character.
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser parser = format.createParser(body)) {
            file = new RulesFile(fileName, parser);
            rules = file.readRules();
        } catch (StreamReadException e) {
            throw bad(syntaxError(fileName, e));
        } catch (IOException e) {
            throw bad(fileName + ": cannot parse the rules file: " + describe(e));
        }
        return Rules.of(rules, file::where);
    }

    /**
     * {@code file:line:column: reason} for a file that is not well-formed JSON or YAML, without the parts of Jackson's
     * message that are about its own configuration, and with SnakeYAML's own position, which is that of the problem.
     */
    private static String syntaxError(String fileName, StreamReadException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark at = yaml.getProblemMark();
            return fileName + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1) + ": " + yaml.getProblem()
                    + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")");
        }
        return file(fileName, e.getLocation()) + SOURCE.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
    }

    private static JsonFactory format(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return YAML;
        }
        throw bad(fileName + ": a rules file is JSON or YAML, and its name must end in .json, .yaml or .yml");
    }

    /** Reads {@code {"rules": [rule, ...]}} and nothing after it. */
    private List<Rule> readRules() throws IOException {
        JsonToken token = next();
        if (token == null) {
            throw error(parser.currentLocation(), "the file is empty; it must hold an object with a 'rules' list");
        }
        JsonLocation top = parser.currentTokenLocation();
        if (token != JsonToken.START_OBJECT) {
            throw error(top, "the file must hold an object with a 'rules' list, not " + describe(token));
        }
        boolean seen = false;
        while (next() == JsonToken.FIELD_NAME) {
            String property = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            if (!property.equals("rules")) {
                throw error(at, "unknown property '" + property + "'; the file has one property, 'rules'");
            }
            if (seen) {
                throw error(at, "'rules' is given twice");
            }
            seen = true;
            next();
            readList();
        }
        if (!seen) {
            throw error(top, "there is no 'rules' property; the file must hold an object with a 'rules' list");
        }
        token = next();
        if (token != null) {
            throw error(parser.currentTokenLocation(), "found " + describe(token) + " after the object that holds "
                    + "the rules; the file must hold that one object only");
        }
        return rules;
    }

    /**
     * The next token. A YAML alias ({@code *name}) is refused: Jackson gives the anchor's name in place of the value
     * it stands for, so a rule would silently get the wrong text.
     */
    private JsonToken next() throws IOException {
        JsonToken token = parser.nextToken();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw error(parser.currentTokenLocation(), "'*" + parser.getText() + "' is a YAML alias, which a rules "
                    + "file cannot use; write the value out in full");
        }
        return token;
    }

    private void readList() throws IOException {
        listAt = parser.currentTokenLocation();
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw error(listAt, "'rules' must be a list of rules, not " + describe(parser.currentToken()));
        }
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY) {
            readRule(token);
        }
        if (rules.isEmpty()) {
            throw error(listAt, "'rules' is empty; give at least one rule");
        }
    }

    private void readRule(JsonToken token) throws IOException {
        int number = rules.size() + 1;
        JsonLocation at = parser.currentTokenLocation();
        if (token != JsonToken.START_OBJECT) {
            throw error(at, "rule " + number + " must be an object with 'regex', 'to' and optionally 'match', not "
                    + describe(token));
        }
        String[] values = new String[3];
        JsonLocation[] valuesAt = new JsonLocation[3];
        Set<String> seen = new HashSet<>();
        while (next() == JsonToken.FIELD_NAME) {
            String property = parser.currentName();
            JsonLocation propertyAt = parser.currentTokenLocation();
            int slot = Positions.slot(property);
            if (slot < 0) {
                throw error(propertyAt, "rule " + number + ": unknown property '" + property + "'; a rule has "
                        + "'match', 'regex' and 'to'");
            }
            if (!seen.add(property)) {
                throw error(propertyAt, "rule " + number + ": '" + property + "' is given twice");
            }
            token = next();
            valuesAt[slot] = parser.currentTokenLocation();
            if (token == JsonToken.VALUE_STRING) {
                values[slot] = parser.getText();
            } else if (token != JsonToken.VALUE_NULL) {
                throw error(valuesAt[slot], "rule " + number + ": '" + property + "' must be a string, not "
                        + describe(token) + "; put it in quotes");
            }
        }
        rules.add(new Rule(values[0], values[1], values[2]));
        positions.add(new Positions(at, valuesAt));
    }

    /** For {@link Rules.Where}: the position of a rule's property, or of the rule, or of the list. */
    private String where(int rule, String property) {
        if (rule < 0) {
            return file(fileName, listAt);
        }
        Positions p = positions.get(rule);
        int slot = property == null ? -1 : Positions.slot(property);
        return file(fileName, slot >= 0 && p.values[slot] != null ? p.values[slot] : p.rule);
    }

    private RewriteException error(JsonLocation at, String reason) {
        return bad(file(fileName, at) + reason);
    }

    private static String file(String fileName, JsonLocation at) {
        return at == null || at.getLineNr() < 1
                ? fileName + ": "
                : fileName + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": ";
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "binary data";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "it is not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static RewriteException bad(String message) {
        return new RewriteException(RewriteErrorCode.BAD_RULES, message);
    }

    /** Where a rule starts and where each of its values is (null when it has none). */
    private record Positions(JsonLocation rule, JsonLocation[] values) {

        /** The index of a rule property in {@link #values}, -1 for an unknown one. */
        static int slot(String property) {
            return switch (property) {
                case "match" -> 0;
                case "regex" -> 1;
                case "to" -> 2;
                default -> -1;
            };
        }
    }
}
