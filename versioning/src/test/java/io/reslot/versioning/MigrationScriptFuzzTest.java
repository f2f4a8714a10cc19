package io.reslot.versioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reslot.slot.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MigrationScript#read} on broken scripts, JSON and YAML, each made from a valid script that has every step
 * and option: cut at every byte, 2,000 random mutations per format from seed 13 (see {@link Mutations#mutate}),
 * every option of every step given a value of every type and a list of bad slot ranges (reversed, out of range,
 * negative, huge), and the files of the regression corpus, {@code fuzz/scripts}. Each script either parses into at
 * least one step, or fails with {@link VersioningErrorCode#BAD_SCRIPT} and a message that starts with
 * {@code file:line:column: } (or {@code file: } for a file that is empty or not UTF-8); never another exception.
 * Unknown nodes are left to {@code BadInputIT}: only a cluster knows its nodes.
 */
class MigrationScriptFuzzTest {

    private static final long SEED = 13;
    private static final int MUTATIONS = 2_000;

    private static final String YAML = """
            # V1__Everything.yaml
            steps:
              - reshard:
                  to: 127.0.0.1:7003
                  slots: 100
                  from: [127.0.0.1:7000, 127.0.0.1:7001]
                  max-pause: 10
              - move-slots:
                  slots: 0-99,200
                  to: 127.0.0.1:7003
                  batch-keys: 100
                  parallel: 2
                  window: 4
                  timeout: 5000
                  rate: 0
                  on-busy-key: compare
                  wait-replicas: 0
              - rebalance:
                  weight: {127.0.0.1:7000: 2, 127.0.0.1:7001: 0.5}
                  threshold: 2.5
                  use-empty-masters: true
              - drain:
                  node: 127.0.0.1:7002
              - retag:
                  match: "user:*"
                  regex: '^user:(\\d+):(.*)$'
                  to: 'user:{$1}:$2'
                  mode: copy
                  on-conflict: skip
              - retag:
                  rules:
                    - regex: '^s:(\\d+)$'
                      to: 's:{$1}'
            """;

    private static final String JSON = """
            {"steps": [
              {"reshard": {"to": "127.0.0.1:7003", "slots": 100, "from": "127.0.0.1:7000,127.0.0.1:7001"}},
              {"move-slots": {"slots": [0, "1-99", 200], "to": "127.0.0.1:7003", "rate": 1000, "on-busy-key": "fail"}},
              {"rebalance": {"weight": {"127.0.0.1:7000": 2}, "threshold": 2, "use-empty-masters": false}},
              {"drain": {"node": "127.0.0.1:7002", "wait-replicas": 1}},
              {"retag": {"regex": "^user:(\\\\d+):(.*)$", "to": "user:{$1}:$2", "mode": "move"}},
              {"retag": {"rules": [{"match": "s:*", "regex": "^s:(\\\\d+)$", "to": "s:{$1}"}]}}
            ]}
            """;

    /** Each step with valid values for the options it needs, in JSON, as the base of the wrong-type cases. */
    private static final Map<String, String> STEPS = Map.of(
            "reshard", "\"to\": \"n\", \"slots\": 100",
            "move-slots", "\"slots\": \"0-99\", \"to\": \"n\"",
            "rebalance", "\"threshold\": 1",
            "drain", "\"node\": \"n\"",
            "retag", "\"regex\": \"^a(.*)$\", \"to\": \"{a}$1\"");
    private static final List<String> MOVER = List.of("max-pause", "batch-keys", "parallel", "window", "timeout",
            "rate", "on-busy-key", "wait-replicas");
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "reshard", List.of("to", "slots", "from"),
            "move-slots", List.of("slots", "to"),
            "rebalance", List.of("weight", "threshold", "use-empty-masters"),
            "drain", List.of("node"),
            "retag", List.of("rules", "match", "regex", "to", "mode", "on-conflict", "unknown"));
    private static final List<String> SLOTS = List.of("\"200-100\"", "\"0-16384\"", "\"-1\"", "\"16384\"", "-1",
            "16384", "\"\"", "\",\"", "\"1,,2\"", "\"abc\"", "\"1-\"", "\"0-16383,200-100\"", "[0, \"1-2\", 16384]",
            "[[1]]", "[]", "99999999999999999999", "\"99999999999999999999\"", "1.5");
    private static final Pattern WHERE = Pattern.compile(":\\d+:\\d+: \\S.*", Pattern.DOTALL);

    private int cases;
    private int parsed;
    private final List<String> failures = new ArrayList<>();

    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD) // a hang is a failure, not a stuck build
    void everyBrokenScriptParsesOrFailsWithBadScript() throws Exception {
        long start = System.nanoTime();
        Mutations mutations = new Mutations(SEED);
        for (String name : List.of("V1__x.json", "V1__x.yaml")) {
            byte[] valid = bytes(name.endsWith(".json") ? JSON : YAML);
            assertThat(MigrationScript.read(valid, name).steps()).hasSize(6);
            for (byte[] variant : mutations.variants(valid, MUTATIONS)) {
                check(name, variant);
            }
        }
        for (Map.Entry<String, List<String>> step : OPTIONS.entrySet()) {
            List<String> options = new ArrayList<>(step.getValue());
            options.addAll(MOVER);
            for (String option : options) {
                List<String> values = new ArrayList<>(Mutations.VALUES);
                if (option.equals("slots")) {
                    values.addAll(SLOTS);
                }
                for (String value : values) {
                    check("V1__x.json", bytes(scriptWith(step.getKey(), option, value)));
                    check("V1__x.yaml", bytes(scriptWith(step.getKey(), option, value)));
                }
            }
        }
        for (Path file : Mutations.corpus(getClass(), "/fuzz/scripts")) {
            check(file.getFileName().toString(), Files.readAllBytes(file));
        }
        System.out.printf("MigrationScriptFuzzTest: %d scripts, %d parsed, the others BAD_SCRIPT, in %d ms%n", cases,
                parsed, (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
    }

    /**
     * A script of one step with {@code option} set to {@code value} (in place of the step's own value, if it has
     * one), in JSON, which YAML reads the same.
     */
    static String scriptWith(String step, String option, String value) {
        String base = STEPS.get(step).replaceAll("\"" + Pattern.quote(option) + "\": [^,]*(, )?", "");
        return "{\"steps\": [{\"" + step + "\": {" + base + (base.isEmpty() ? "" : ", ") + "\"" + option + "\": "
                + value + "}}]}";
    }

    private void check(String name, byte[] content) {
        cases++;
        String failure = outcome(name, content);
        if (failure != null) {
            failures.add(name + " " + Mutations.show(content) + ": " + failure);
        }
    }

    /** Null when reading the script went as the class comment says, else what went wrong. */
    private String outcome(String name, byte[] content) {
        try {
            MigrationScript script = MigrationScript.read(content, name);
            if (script.steps().isEmpty()) {
                return "parsed without steps";
            }
            for (Step step : script.steps()) {
                if (step instanceof Step.Retag retag) {
                    retag.rules().rename(bytes("user:42:cart"));
                }
                step.toString();
            }
            parsed++;
            return null;
        } catch (VersioningException e) {
            String message = e.getMessage();
            if (e.code() != VersioningErrorCode.BAD_SCRIPT || message == null || !message.startsWith(name)) {
                return e.code() + ": " + message;
            }
            String rest = message.substring(name.length());
            boolean fileLevel = rest.startsWith(": the file is empty") || rest.startsWith(": the file is not UTF-8");
            return fileLevel || WHERE.matcher(rest).matches() ? null : "no line and column: " + message;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Mutations.threw(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
