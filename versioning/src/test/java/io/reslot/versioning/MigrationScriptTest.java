package io.reslot.versioning;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.reslot.migrate.BusyKeyPolicy;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.RetagOptions.Mode;
import io.reslot.rewrite.Rule;
import io.reslot.rewrite.Rules;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationScriptTest {

    private static final String YAML = """
            # V1__Move_first_slots.yaml
            steps:
              - move-slots:
                  slots: 0-99
                  to: 127.0.0.1:7003
                  max-pause: 10
              - retag:
                  match: "user:*"
                  regex: "^user:(\\\\d+):(.*)$"
                  to: "user:{$1}:$2"
            """;

    private static final String JSON = """
            {"steps": [
              {"move-slots": {"slots": "0-99", "to": "127.0.0.1:7003", "max-pause": 10}},
              {"retag": {"match": "user:*", "regex": "^user:(\\\\d+):(.*)$", "to": "user:{$1}:$2"}}
            ]}
            """;

    private static final List<Step> EXPECTED = List.of(
            new Step.MoveSlots(SlotSet.parse("0-99"), "127.0.0.1:7003",
                    MoverOptions.builder().maxPauseMillis(10).build()),
            new Step.Retag(Rules.of(List.of(new Rule("user:*", "^user:(\\d+):(.*)$", "user:{$1}:$2")))));

    private static List<Step> steps(String fileName, String text) {
        return MigrationScript.parse(text, fileName).steps();
    }

    /** The one step of a YAML script whose step is {@code step}, indented as a list item's value. */
    private static Step step(String step) {
        return steps("V1__x.yaml", "steps:\n  - " + step + "\n").get(0);
    }

    private static void assertBad(String fileName, String text, String message) {
        assertThatThrownBy(() -> MigrationScript.parse(text, fileName))
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessage(message);
    }

    private static void assertBadStep(String step, String message) {
        assertBad("V1__x.yaml", "steps:\n  - " + step + "\n", message);
    }

    @Test
    void readsAYamlScript() {
        MigrationScript script = MigrationScript.parse(YAML, "V1__Move_first_slots.yaml");

        assertThat(script.steps()).isEqualTo(EXPECTED);
        assertThat(script.checksum()).isEqualTo(Checksums.of(YAML));
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1__x.json", "V1__x.yaml", "V1__x.yml", "V1__X.JSON"})
    void readsTheSameStepsFromJsonAndYaml(String fileName) {
        assertThat(steps(fileName, JSON)).isEqualTo(EXPECTED);
    }

    @Test
    void checksumIsOverTheTextWithLineEndingsNormalised() {
        MigrationScript unix = MigrationScript.parse(YAML, "V1__x.yaml");
        MigrationScript windows = MigrationScript.parse(YAML.replace("\n", "\r\n"), "V1__x.yaml");
        MigrationScript edited = MigrationScript.parse(YAML.replace("max-pause: 10", "max-pause: 11"), "V1__x.yaml");

        assertThat(windows.checksum()).isEqualTo(unix.checksum());
        assertThat(windows.steps()).isEqualTo(unix.steps());
        assertThat(edited.checksum()).isNotEqualTo(unix.checksum());
        assertThat(MigrationScript.parse(YAML.replace("# V1", "# v1"), "V1__x.yaml").checksum())
                .as("a comment is part of the script").isNotEqualTo(unix.checksum());
    }

    @Test
    void readsUtf8BytesWithOrWithoutAByteOrderMark() {
        byte[] plain = JSON.getBytes(StandardCharsets.UTF_8);
        byte[] bom = ("\uFEFF" + JSON).getBytes(StandardCharsets.UTF_8);

        assertThat(MigrationScript.read(plain, "V1__x.json").steps()).isEqualTo(EXPECTED);
        assertThat(MigrationScript.read(bom, "V1__x.json").steps()).isEqualTo(EXPECTED);
        assertThat(MigrationScript.read(bom, "V1__x.json").checksum())
                .isEqualTo(MigrationScript.read(plain, "V1__x.json").checksum());
        assertThat(MigrationScript.read(("\uFEFF" + YAML).getBytes(StandardCharsets.UTF_8), "V1__x.yaml").steps())
                .isEqualTo(EXPECTED);
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        byte[] latin1 = "steps:\n  - drain: {node: é}\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MigrationScript.read(latin1, "db/V1__x.yaml"))
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessage("db/V1__x.yaml: the file is not UTF-8 text (byte 25 of 28 starts an invalid sequence); "
                        + "save it as UTF-8");
        assertThatThrownBy(() -> MigrationScript.read(new byte[] {'a', (byte) 0xE2, (byte) 0x82}, "V1__x.yaml"))
                .as("a sequence cut short at the end").hasMessageContaining("byte 1 of 3");
    }

    @Test
    void rejectsAFileNamedNeitherJsonNorYaml() {
        assertBad("V1__x.txt", JSON, "V1__x.txt: a script is JSON or YAML, and its name must end in .json, .yaml or "
                + ".yml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "\n\n", "\uFEFF"})
    void rejectsAnEmptyFile(String text) {
        assertBad("V1__x.yaml", text, "V1__x.yaml: the file is empty; it must hold an object with a 'steps' list");
    }

    @Test
    void namesTheLineAndColumnOfMalformedYamlAndJson() {
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: a\n",
                "V1__x.yaml:3:1: expected ',' or '}', but got <stream end> (while parsing a flow mapping)");
        assertBad("V1__x.yaml", "steps: \"\\q\"\n",
                "V1__x.yaml:1:10: found unknown escape character q(113) (while scanning a double-quoted scalar)");
        assertBad("V1__x.json", "{\"steps\": [{\"drain\": {\"node\": \"a\",}}]}",
                "V1__x.json:1:35: Unexpected character ('}' (code 125)): was expecting double-quote to start field "
                        + "name");
        assertBad("V1__x.json", "{\"steps\": [\n",
                "V1__x.json:2:1: Unexpected end-of-input: expected close marker for Array (start marker at line 1, "
                        + "column 11)");
    }

    @Test
    void rejectsAnythingAfterTheScript() {
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: a}\n---\nsteps: []\n",
                "V1__x.yaml:4:1: found more after the object that holds the steps; the file must hold that one "
                        + "object only");
        assertBad("V1__x.json", "{\"steps\": [{\"drain\": {\"node\": \"a\"}}]} {}",
                "V1__x.json:1:39: found more after the object that holds the steps; the file must hold that one "
                        + "object only");
    }

    @Test
    void rejectsAFileThatIsNotAnObjectWithSteps() {
        assertBad("V1__x.yaml", "- drain: {node: a}\n",
                "V1__x.yaml:1:1: the file must hold an object with a 'steps' list, not a list");
        assertBad("V1__x.json", "null", "V1__x.json:1:1: the file must hold an object with a 'steps' list, not null");
        assertBad("V1__x.json", "{}",
                "V1__x.json:1:1: there is no 'steps' list; the file must hold an object with a 'steps' list");
        assertBad("V1__x.yaml", "steps: {drain: {node: a}}\n",
                "V1__x.yaml:1:8: 'steps' must be a list of steps, not an object");
        assertBad("V1__x.yaml", "steps: []\n", "V1__x.yaml:1:8: 'steps' is empty; give at least one step");
    }

    @Test
    void rejectsUnknownAndRepeatedTopLevelProperties() {
        assertBad("V1__x.yaml", "step:\n  - drain: {node: a}\n",
                "V1__x.yaml:1:1: unknown property 'step'; did you mean 'steps'? (a script has one property, 'steps')");
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: a}\ndescription: x\n",
                "V1__x.yaml:3:1: unknown property 'description' (a script has one property, 'steps')");
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: a}\nsteps:\n  - drain: {node: b}\n",
                "V1__x.yaml:3:1: 'steps' is given twice; keep one");
    }

    @Test
    void rejectsAStepThatIsNotAOneKeyObject() {
        String shape = "; write it as '- <step>: {options}', where <step> is one of reshard, move-slots, rebalance, "
                + "drain, retag";
        assertBadStep("drain", "V1__x.yaml:2:5: step 1 must be an object with one key, the step's name, not a string"
                + shape);
        assertBadStep("[drain]", "V1__x.yaml:2:5: step 1 must be an object with one key, the step's name, not a list"
                + shape);
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: a}\n  - drain: {node: b}\n    rebalance: {}\n",
                "V1__x.yaml:3:5: step 2 must be an object with one key, the step's name, not 2 keys (drain, "
                        + "rebalance)" + shape + "; each step is its own list item");
        assertBadStep("{}", "V1__x.yaml:2:5: step 1 must be an object with one key, the step's name, not 0 keys ()"
                + shape + "; each step is its own list item");
    }

    @Test
    void rejectsAnUnknownStepSuggestingTheNearest() {
        assertBadStep("move-slot: {slots: 1, to: a}", "V1__x.yaml:2:5: unknown step 'move-slot'; did you mean "
                + "'move-slots'? (valid: reshard, move-slots, rebalance, drain, retag)");
        assertBadStep("Drain: {node: a}", "V1__x.yaml:2:5: unknown step 'Drain'; did you mean 'drain'? (valid: "
                + "reshard, move-slots, rebalance, drain, retag)");
        assertBadStep("migrate: {}", "V1__x.yaml:2:5: unknown step 'migrate' (valid: reshard, move-slots, "
                + "rebalance, drain, retag)");
    }

    @Test
    void rejectsAnUnknownOptionListingTheValidOnes() {
        assertBad("V1__x.yaml", YAML.replace("      to: 127", "      too: 127"),
                "V1__x.yaml:5:7: move-slots: unknown option 'too'; did you mean 'to'? (valid: slots, to, max-pause, "
                        + "batch-keys, parallel, window, timeout, rate, on-busy-key, wait-replicas)");
        assertBadStep("drain: {node: a, max_pause: 5}", "V1__x.yaml:2:22: drain: unknown option 'max_pause'; did you "
                + "mean 'max-pause'? (valid: node, max-pause, batch-keys, parallel, window, timeout, rate, "
                + "on-busy-key, wait-replicas)");
        assertBadStep("retag: {regex: a, to: b, max-pause: 5}", "V1__x.yaml:2:30: retag: unknown option "
                + "'max-pause' (valid: rules, match, regex, to, mode, on-conflict)");
    }

    @Test
    void rejectsOptionsThatAreNotAnObject() {
        assertBadStep("drain: a", "V1__x.yaml:2:12: drain: the options must be an object, such as 'node: ...', not "
                + "a string");
        assertBadStep("drain:\n      - node: a", "V1__x.yaml:3:7: drain: the options must be an object, such as "
                + "'node: ...', not a list");
    }

    @Test
    void rejectsAMissingRequiredOption() {
        assertBadStep("drain:", "V1__x.yaml:2:5: drain: 'node' is missing; give a node (a node id, a unique prefix "
                + "of one, or HOST:PORT)");
        assertBadStep("move-slots: {to: a}", "V1__x.yaml:2:5: move-slots: 'slots' is missing; give the slots to "
                + "move, such as 0-999,2000");
        assertBadStep("move-slots: {slots: 1}", "V1__x.yaml:2:5: move-slots: 'to' is missing; give a node (a node "
                + "id, a unique prefix of one, or HOST:PORT)");
        assertBadStep("reshard: {to: a}", "V1__x.yaml:2:5: reshard: 'slots' is missing; give how many slots to "
                + "move, 1 to 16384");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max-pause: -10|'max-pause' must be a whole number of 1 or more, not -10",
            "max-pause: 0|'max-pause' must be a whole number of 1 or more, not 0",
            "max-pause: '10'|'max-pause' must be a whole number of 1 or more, not the string '10'; write it without "
                    + "quotes",
            "max-pause: 99999999999999999999999999|'max-pause' must be a whole number of 1 or more, not "
                    + "99999999999999999999999999",
            "max-pause: 1.5|'max-pause' must be a whole number of 1 or more, not 1.5",
            "max-pause: ten|'max-pause' must be a whole number of 1 or more, not the string 'ten'",
            "max-pause: ~|'max-pause' must be a whole number of 1 or more, not null",
            "batch-keys: 2147483648|'batch-keys' must be a whole number of 1 or more, not 2147483648",
            "parallel: 0|'parallel' must be a whole number of 1 or more, not 0",
            "window: [1]|'window' must be a whole number of 1 or more, not a list",
            "timeout: true|'timeout' must be a whole number of 1 or more, not a boolean",
            "rate: -1|'rate' must be a whole number of 0 or more, not -1",
            "wait-replicas: -1|'wait-replicas' must be a whole number of 0 or more, not -1",
            "on-busy-key: replce|'on-busy-key' must be one of fail, compare, replace, not 'replce'; did you mean "
                    + "'replace'?",
            "on-busy-key: 1|'on-busy-key' must be one of fail, compare, replace, not 1",
    })
    void rejectsAMoverOptionOfTheWrongTypeOrOutOfRange(String option, String reason) {
        String text = "steps:\n  - drain:\n      node: a\n      " + option + "\n";
        int column = 7 + option.indexOf(':') + 2;

        assertBad("V1__x.yaml", text, "V1__x.yaml:4:" + column + ": drain: " + reason);
    }

    @Test
    void readsEveryMoverOption() {
        Step step = step("""
                drain:
                      node: 10.0.0.1:7000
                      max-pause: 5
                      batch-keys: 200
                      parallel: 2
                      window: 8
                      timeout: 60000
                      rate: 5000
                      on-busy-key: Replace
                      wait-replicas: 1""");

        assertThat(step).isEqualTo(new Step.Drain("10.0.0.1:7000", MoverOptions.builder().maxPauseMillis(5)
                .batchKeys(200).parallel(2).window(8).timeoutMillis(60000).rate(5000)
                .onBusyKey(BusyKeyPolicy.REPLACE).waitReplicas(1).build()));
    }

    @Test
    void takesTheDefaultsOfTheCommandsForOptionsNotGiven() {
        assertThat(step("drain: {node: a}")).isEqualTo(new Step.Drain("a"));
        assertThat(step("rebalance:")).isEqualTo(new Step.Rebalance());
        assertThat(step("rebalance: {}")).isEqualTo(new Step.Rebalance());
        assertThat(step("reshard: {to: a, slots: 100}")).isEqualTo(new Step.Reshard("a", 100));
    }

    @Test
    void readsReshard() {
        MoverOptions mover = MoverOptions.builder().window(4).build();

        assertThat(step("reshard: {to: a, slots: 16384, from: all, window: 4}"))
                .isEqualTo(new Step.Reshard("a", 16384, List.of(), mover));
        assertThat(step("reshard: {to: a, slots: 1, from: [b, ' c ']}"))
                .isEqualTo(new Step.Reshard("a", 1, List.of("b", "c"), MoverOptions.defaults()));
        assertThat(step("reshard: {to: a, slots: 1, from: 'b, c'}"))
                .as("comma-separated, as on the command line")
                .isEqualTo(new Step.Reshard("a", 1, List.of("b", "c"), MoverOptions.defaults()));
    }

    @Test
    void rejectsBadReshardOptions() {
        String from = "'from' must be 'all' or a list of nodes (node ids, unique prefixes of them, or HOST:PORT) "
                + "without empty items, not ";
        assertBadStep("reshard: {to: a, slots: 16385}", "V1__x.yaml:2:29: reshard: 'slots' must be a whole number "
                + "from 1 to 16384, not 16385");
        assertBadStep("reshard: {to: a, slots: 0}", "V1__x.yaml:2:29: reshard: 'slots' must be a whole number from 1 "
                + "to 16384, not 0");
        assertBadStep("reshard: {to: a, slots: 1, from: 'b,,c'}", "V1__x.yaml:2:38: reshard: " + from
                + "the string 'b,,c'");
        assertBadStep("reshard: {to: a, slots: 1, from: [b, all]}", "V1__x.yaml:2:38: reshard: " + from + "a list");
        assertBadStep("reshard: {to: a, slots: 1, from: []}", "V1__x.yaml:2:38: reshard: " + from + "a list");
        assertBadStep("reshard: {to: a, slots: 1, from: [b, 7]}", "V1__x.yaml:2:42: reshard: 'from' must be a list "
                + "of nodes in quotes, not 7");
        assertBadStep("reshard: {to: 7000, slots: 1}", "V1__x.yaml:2:19: reshard: 'to' must be a node (a node id, a "
                + "unique prefix of one, or HOST:PORT) in quotes, not 7000");
        assertBadStep("reshard: {to: ' ', slots: 1}", "V1__x.yaml:2:19: reshard: 'to' is blank; give a node (a node "
                + "id, a unique prefix of one, or HOST:PORT)");
    }

    @Test
    void readsMoveSlots() {
        assertThat(step("move-slots: {slots: '0-99,200', to: b}"))
                .isEqualTo(new Step.MoveSlots(SlotSet.parse("0-99,200"), "b"));
        assertThat(step("move-slots: {slots: 16383, to: b}"))
                .as("one slot as a number").isEqualTo(new Step.MoveSlots(SlotSet.of(16383), "b"));
        assertThat(step("move-slots: {slots: [0-9, 20, '30-31'], to: b}"))
                .as("a list").isEqualTo(new Step.MoveSlots(SlotSet.parse("0-9,20,30-31"), "b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "99-0|invalid slots \"99-0\": item 1 \"99-0\": range is reversed (99 > 0)",
            "0-16384|invalid slots \"0-16384\": item 1 \"0-16384\": slot 16384 is out of range 0-16383",
            "\"1,,2\"|invalid slots \"1,,2\": item 2 is empty",
            "-1|invalid slots \"-1\": item 1 \"-1\" is not a slot or a slot range (N or N-M)",
            "abc|invalid slots \"abc\": item 1 \"abc\" is not a slot or a slot range (N or N-M)",
    })
    void rejectsBadSlots(String slots, String reason) {
        assertBadStep("move-slots: {to: b, slots: " + slots + "}", "V1__x.yaml:2:32: move-slots: " + reason
                + "; give slots and ranges such as 0-999,2000");
    }

    @Test
    void rejectsSlotsOfTheWrongType() {
        assertBadStep("move-slots: {to: b, slots: 1.5}", "V1__x.yaml:2:32: move-slots: 'slots' must be slots and "
                + "ranges such as 0-999,2000, not 1.5");
        assertBadStep("move-slots: {to: b, slots: {a: 1}}", "V1__x.yaml:2:32: move-slots: 'slots' must be slots and "
                + "ranges such as 0-999,2000, not an object");
    }

    @Test
    void readsRebalance() {
        Step step = step("""
                rebalance:
                      weight:
                        127.0.0.1:7000: 2
                        "abc": 0.5
                        d: 0
                      threshold: 5.5
                      use-empty-masters: true
                      parallel: 1""");

        assertThat(step).isEqualTo(new Step.Rebalance(new TreeMap<>(Map.of("127.0.0.1:7000", 2.0, "abc", 0.5,
                "d", 0.0)), 5.5, true, MoverOptions.builder().parallel(1).build()));
        assertThat(((Step.Rebalance) step).options().weight("abc")).isEqualTo(0.5);
        assertThat(step("rebalance: {threshold: 0}")).isEqualTo(new Step.Rebalance(RebalanceOptions.builder()
                .thresholdPercent(0).build(), MoverOptions.defaults()));
    }

    @Test
    void rejectsBadRebalanceOptions() {
        assertBadStep("rebalance: {weight: {a: -1}}", "V1__x.yaml:2:29: rebalance: the weight of a must be a number "
                + "of 0 or more, not -1");
        assertBadStep("rebalance: {weight: {a: x}}", "V1__x.yaml:2:29: rebalance: the weight of a must be a number "
                + "of 0 or more, not the string 'x'");
        assertBadStep("rebalance: {weight: {a: .inf}}", "V1__x.yaml:2:29: rebalance: the weight of a must be a "
                + "number of 0 or more, not .inf");
        assertBadStep("rebalance: {weight: [a=1]}", "V1__x.yaml:2:25: rebalance: 'weight' must be an object of node: "
                + "weight, such as {127.0.0.1:7000: 2}, not a list");
        assertBadStep("rebalance: {weight: {'': 1}}", "V1__x.yaml:2:26: rebalance: 'weight' names an empty node; "
                + "give a node (a node id, a unique prefix of one, or HOST:PORT)");
        assertBadStep("rebalance: {weight: {a: 1, ' a': 2}}", "V1__x.yaml:2:32: rebalance: 'weight' gives a a "
                + "weight twice");
        assertBadStep("rebalance: {threshold: -0.1}", "V1__x.yaml:2:28: rebalance: 'threshold' must be a number of "
                + "0 or more, not -0.1");
        assertBad("V1__x.json", "{\"steps\": [{\"rebalance\": {\"threshold\": 1e400}}]}",
                "V1__x.json:1:40: rebalance: 'threshold' must be a number of 0 or more, not 1e400");
        assertBadStep("rebalance: {use-empty-masters: 'true'}", "V1__x.yaml:2:36: rebalance: 'use-empty-masters' "
                + "must be true or false, not the string 'true'; write it without quotes");
        assertBadStep("rebalance: {use-empty-masters: 1}", "V1__x.yaml:2:36: rebalance: 'use-empty-masters' must be "
                + "true or false, not 1");
    }

    @Test
    void readsRetagWithOneRuleOrAList() {
        Rule users = new Rule("user:*", "^user:(?<id>[0-9]+):(?<rest>.*)$", "user:{${id}}:${rest}");
        Rule orders = new Rule(null, "^order:([0-9]+):(.*)$", "order:{$1}:$2");

        assertThat(step("""
                retag:
                      regex: '^user:(?<id>[0-9]+):(?<rest>.*)$'
                      to: 'user:{${id}}:${rest}'
                      match: "user:*"
                      mode: copy
                      on-conflict: SKIP"""))
                .isEqualTo(new Step.Retag(Rules.of(List.of(users)), Mode.COPY, OnConflict.SKIP));
        assertThat(step("""
                retag:
                      rules:
                        - match: "user:*"
                          regex: '^user:(?<id>[0-9]+):(?<rest>.*)$'
                          to: 'user:{${id}}:${rest}'
                        - regex: '^order:([0-9]+):(.*)$'
                          to: 'order:{$1}:$2'
                          match: ~
                      mode: cleanup"""))
                .isEqualTo(new Step.Retag(Rules.of(List.of(users, orders)), Mode.CLEANUP, OnConflict.FAIL));
    }

    @Test
    void retagRulesArePartOfTheChecksum() {
        String script = "steps:\n  - retag: {rules: [{regex: '^a:(.*)$', to: 'a:{$1}'}]}\n";

        assertThat(Checksums.of(script.replace("a:{", "b:{")))
                .isNotEqualTo(MigrationScript.parse(script, "V1__x.yaml").checksum());
    }

    @Test
    void rejectsBadRetagRulesAtTheirPlace() {
        assertBadStep("retag: {regex: '^user:(\\d+):(.*$', to: 'user:{$1}:$2'}", "V1__x.yaml:2:5: retag: the regex "
                + "'^user:(\\d+):(.*$' is not valid: Unclosed group near index 16");
        assertBadStep("retag: {regex: 'a(b)', to: 'x$1'}", "V1__x.yaml:2:5: retag: the template 'x$1' has no '{', so "
                + "the names it gives have no hash tag: put the part that related keys share between '{' and '}'");
        assertBadStep("retag: {match: 'a*', to: 'x{y}'}", "V1__x.yaml:2:5: retag: 'regex' is missing; give a regular "
                + "expression that matches the whole key, with groups for the parts the new name keeps");
        assertBad("V1__x.yaml", withSecondRule("regex: 'a(b)'\nto: 'x{$2}'"), "V1__x.yaml:6:11: retag: rule 2: "
                + "the template 'x{$2}' refers to group 2 at index 2, but the regex has only 1 group");
        assertBad("V1__x.yaml", withSecondRule("regx: 'a(b)'"), "V1__x.yaml:6:11: retag: rule 2: unknown option "
                + "'regx'; did you mean 'regex'? (valid: match, regex, to)");
    }

    /** A script with a retag whose first rule is good, and whose second starts on line 6, column 11. */
    private static String withSecondRule(String rule) {
        return "steps:\n  - retag:\n      rules:\n        - regex: 'a(b)'\n          to: 'x{$1}'\n        - "
                + rule.replace("\n", "\n          ") + "\n";
    }

    @Test
    void rejectsARetagWithoutRulesOrWithBothForms() {
        assertBadStep("retag: {mode: copy}", "V1__x.yaml:2:5: retag: give 'rules' (a list of {match, regex, to}), or "
                + "'regex' and 'to' (and optionally 'match')");
        assertBadStep("retag: {rules: [{regex: a, to: '{b}'}], regex: a}", "V1__x.yaml:2:5: retag: give 'rules' or "
                + "'regex' and 'to' (and optionally 'match'), not both");
        assertBadStep("retag: {rules: []}", "V1__x.yaml:2:20: retag: 'rules' must be a list of rules, each {match, "
                + "regex, to}, not a list");
        assertBadStep("retag: {rules: {regex: a}}", "V1__x.yaml:2:20: retag: 'rules' must be a list of rules, each "
                + "{match, regex, to}, not an object");
        assertBadStep("retag: {rules: [a]}", "V1__x.yaml:2:21: retag: rule 1 must be an object with 'regex', 'to' and "
                + "optionally 'match', not a string");
        assertBadStep("retag: {regex: 5, to: '{b}'}", "V1__x.yaml:2:20: retag: 'regex' must be a string; put it in "
                + "quotes, not 5");
    }

    @Test
    void rejectsABadRetagModeOrConflictPolicy() {
        assertBadStep("retag: {regex: a, to: '{b}', mode: moev}", "V1__x.yaml:2:40: retag: 'mode' must be one of "
                + "move, copy, cleanup, verify, not 'moev'; did you mean 'move'?");
        assertBadStep("retag: {regex: a, to: '{b}', on-conflict: overwrite}", "V1__x.yaml:2:47: retag: 'on-conflict' "
                + "must be one of fail, skip, replace, not 'overwrite'");
    }

    @Test
    void rejectsAKeyGivenTwice() {
        assertBadStep("drain: {node: a, node: b}", "V1__x.yaml:2:22: 'node' is given twice; keep one");
        assertBad("V1__x.json", "{\"steps\": [{\"drain\": {\"node\": \"a\", \"node\": \"b\"}}]}",
                "V1__x.json:1:36: 'node' is given twice; keep one");
    }

    @Test
    void suggestsOnlyNamesThatAreClose() {
        assertThat(StepParser.distance("too", "to")).isEqualTo(1);
        assertThat(StepParser.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(StepParser.distance("", "abc")).isEqualTo(3);
        assertThat(StepParser.suggestion("paralel", List.of("window", "parallel"))).isEqualTo("; did you mean "
                + "'parallel'?");
        assertThat(StepParser.suggestion("xyz", List.of("window", "parallel"))).isEmpty();
    }

    // Found by MigrationScriptFuzzTest.

    @Test
    void refusesAYamlAliasRatherThanReadingTheAnchorsName() {
        // Jackson gives an alias as its anchor's name: the reshard would have gone to a node called "n".
        assertBad("V1__x.yaml", "steps:\n  - drain: {node: &n 127.0.0.1:7000}\n  - reshard: {to: *n, slots: 10}\n",
                "V1__x.yaml:3:19: '*n' is a YAML alias, which a script cannot use; write the value out in full");
        assertBad("V1__x.yaml", "steps:\n  - &d {drain: {node: n}}\n  - *d\n",
                "V1__x.yaml:3:5: '*d' is a YAML alias, which a script cannot use; write the value out in full");
    }

    @Test
    void namesBinaryDataAsSuch() {
        assertBadStep("drain: {node: !!binary aGVsbG8=}", "V1__x.yaml:2:19: drain: 'node' must be a node (a node id, "
                + "a unique prefix of one, or HOST:PORT) in quotes, not binary data");
    }
}
