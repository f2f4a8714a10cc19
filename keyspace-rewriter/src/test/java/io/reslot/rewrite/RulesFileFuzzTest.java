package io.reslot.rewrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.reslot.slot.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Rules#parse(Path)} on 4,627 broken rules files, JSON and YAML, each made from a valid file: cut at every
 * byte, 2,000 random mutations per format from seed 11 (see {@link Mutations#mutate}), each property given a value of
 * every type, an unknown property, the cases of {@link #generatedCases} and the files of the regression corpus,
 * {@code fuzz/rules}. Each file either parses, and the rules then rename sample keys without an exception, or fails
 * with {@link RewriteErrorCode#BAD_RULES} and a message that starts with the file's name; never another exception
 * (no NullPointerException, no parser exception, no StackOverflowError or OutOfMemoryError). YAML aliases are never
 * expanded (Jackson reads them one token at a time, and reslot refuses them), so SnakeYAML's alias limits do not
 * come into play; its limit of 3 MB of text does (100,000 rules).
 */
class RulesFileFuzzTest {

    private static final long SEED = 11;
    private static final int MUTATIONS = 2_000;

    static final String JSON = """
            {"rules": [
              {"match": "user:*", "regex": "^user:(?<id>[0-9]+):(?<rest>.*)$", "to": "user:{${id}}:${rest}"},
              {"regex": "^session:(\\\\d+)$", "to": "session:{$1}"}
            ]}
            """;

    static final String YAML = """
            # rules
            rules:
              - match: "user:*"
                regex: '^user:(?<id>[0-9]+):(?<rest>.*)$'
                to: 'user:{${id}}:${rest}'
              - regex: ^session:(\\d+)$
                to: session:{$1}
            """;

    private static final List<byte[]> KEYS = List.of(bytes("user:42:cart"), bytes("user:{42}:cart"),
            bytes("session:7"), bytes(""), bytes("m"), bytes("a"), new byte[] {(byte) 0xFF, '{', '}'},
            bytes("user:" + "9".repeat(200) + ":" + "x{".repeat(50)));

    @TempDir
    Path dir;

    private int cases;
    private int parsed;
    private final List<String> failures = new ArrayList<>();

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD) // a hang is a failure, not a stuck build
    void everyBrokenFileParsesOrFailsWithBadRules() throws Exception {
        long start = System.nanoTime();
        Mutations mutations = new Mutations(SEED);
        for (String name : List.of("rules.json", "rules.yaml")) {
            byte[] valid = bytes(name.endsWith(".json") ? JSON : YAML);
            check(name, valid);
            for (byte[] variant : mutations.variants(valid, MUTATIONS)) {
                check(name, variant);
            }
        }
        for (String property : List.of("rules", "match", "regex", "to", "unknown")) {
            for (String value : Mutations.VALUES) {
                check("rules.json", bytes(jsonWith(property, value)));
                check("rules.yaml", bytes(jsonWith(property, value)));
            }
        }
        for (String[] generated : generatedCases()) {
            check(generated[0], bytes(generated[1]));
        }
        for (Path file : Mutations.corpus(getClass(), "/fuzz/rules")) {
            check(file.getFileName().toString(), Files.readAllBytes(file));
        }
        System.out.printf("RulesFileFuzzTest: %d files, %d parsed, the others BAD_RULES, in %d ms%n", cases, parsed,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
    }

    /** The valid JSON file with {@code property} set to {@code value} ({@code unknown}: added to the first rule). */
    static String jsonWith(String property, String value) {
        return switch (property) {
            case "rules" -> "{\"rules\": " + value + "}";
            case "unknown" -> "{\"rules\": [{\"regex\": \"^a(.*)$\", \"to\": \"{a}$1\", \"x\": " + value + "}]}";
            default -> "{\"rules\": [{\"match\": " + (property.equals("match") ? value : "\"a*\"")
                    + ", \"regex\": " + (property.equals("regex") ? value : "\"^a(.*)$\"")
                    + ", \"to\": " + (property.equals("to") ? value : "\"{a}$1\"") + "}]}";
        };
    }

    /**
     * File name and content of the cases that random edits are unlikely to hit and that are too large for the
     * corpus: deep nesting, many rules, long values.
     */
    static List<String[]> generatedCases() {
        return List.of(
                new String[] {"rules.yaml", "[".repeat(100_000) + "]".repeat(100_000)},
                new String[] {"rules.json", "[".repeat(100_000) + "]".repeat(100_000)},
                new String[] {"rules.json", "{\"rules\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}"},
                new String[] {"rules.yaml", "rules:\n" + "  - {regex: '^a(.*)$', to: '{a}$1'}\n".repeat(100_000)},
                new String[] {"rules.json", "{\"rules\": [{\"regex\": \"" + "a".repeat(1_000_000) + "\", \"to\": "
                        + "\"{a}\"}]}"},
                new String[] {"rules.yaml", "rules: [{regex: '" + "(".repeat(2_000) + ")".repeat(2_000)
                        + "', to: '{a}'}]"},
                new String[] {"rules.json", "{\"rules\": [{\"regex\": \"^(a)$\", \"to\": \"{${" + "x".repeat(10_000)
                        + "}}\"}]}"},
                new String[] {"rules.json", "{\"rules\": [{\"match\": \"" + "[".repeat(10_000) + "\", \"regex\": "
                        + "\"^(a)$\", \"to\": \"{a}\"}]}"},
                new String[] {"rules.txt", JSON},
                new String[] {"rules", JSON},
                new String[] {"rules.JSON", JSON});
    }

    private void check(String name, byte[] content) throws IOException {
        cases++;
        Path file = dir.resolve(name);
        Files.write(file, content);
        String failure = outcome(file);
        if (failure != null) {
            failures.add(name + " " + Mutations.show(content) + ": " + failure);
        }
    }

    /** Null when reading {@code file} went as the class comment says, else what went wrong. */
    private String outcome(Path file) {
        try {
            Rules rules = Rules.parse(file);
            for (byte[] key : KEYS) {
                rules.rename(key);
            }
            rules.scanGlob();
            parsed++;
            return null;
        } catch (RewriteException e) {
            if (e.code() != RewriteErrorCode.BAD_RULES) {
                return "code " + e.code() + ": " + e.getMessage();
            }
            String message = e.getMessage();
            return message != null && message.startsWith(file + ":")
                    && !message.substring(file.toString().length() + 1).isBlank() ? null : "message: " + message;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Mutations.threw(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
