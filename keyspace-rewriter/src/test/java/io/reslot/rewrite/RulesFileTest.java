package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesFileTest {

    private static final List<Rule> EXPECTED = List.of(
            new Rule("user:*", "^user:(?<id>[0-9]+):(?<rest>.*)$", "user:{${id}}:${rest}"),
            new Rule(null, "^order:([0-9]+):(.*)$", "order:{$1}:${2}"));

    private static final String JSON = """
            {
              "rules": [
                {"match": "user:*", "regex": "^user:(?<id>[0-9]+):(?<rest>.*)$", "to": "user:{${id}}:${rest}"},
                {"regex": "^order:([0-9]+):(.*)$", "to": "order:{$1}:${2}"}
              ]
            }
            """;

    private static final String YAML = """
            # Retag users and orders.
            rules:
              - match: "user:*"
                regex: '^user:(?<id>[0-9]+):(?<rest>.*)$'
                to: 'user:{${id}}:${rest}'
              - regex: ^order:([0-9]+):(.*)$   # plain scalars work too
                to: 'order:{$1}:${2}'
                match: ~
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertBad(String text, String fileName, String message) {
        assertThatThrownBy(() -> Rules.parse(text, fileName))
                .isInstanceOfSatisfying(RewriteException.class,
                        e -> assertThat(e.code()).isEqualTo(RewriteErrorCode.BAD_RULES))
                .hasMessage(message);
    }

    @Test
    void readsAJsonFile() throws Exception {
        Rules rules = Rules.parse(write("rules.json", JSON));

        assertThat(rules.rules()).isEqualTo(EXPECTED);
        assertThat(rules.rename("order:7:x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Renaming(Renaming.Outcome.RENAMED, 1, "order:{7}:x".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules.yaml", "rules.yml", "RULES.YML"})
    void readsAYamlFile(String name) throws Exception {
        Rules rules = Rules.parse(write(name, YAML));

        assertThat(rules.rules()).isEqualTo(EXPECTED);
    }

    @Test
    void readsJsonFromAYamlFileSinceYamlIncludesIt() throws Exception {
        assertThat(Rules.parse(write("rules.yaml", JSON)).rules()).isEqualTo(EXPECTED);
    }

    @Test
    void rejectsAFileNamedNeitherJsonNorYaml() throws Exception {
        Path file = write("rules.txt", JSON);

        assertThatThrownBy(() -> Rules.parse(file))
                .isInstanceOf(RewriteException.class)
                .hasMessage(file + ": a rules file is JSON or YAML, and its name must end in .json, .yaml or .yml");
    }

    @Test
    void rejectsAFileThatCannotBeRead() throws Exception {
        Path missing = dir.resolve("missing.json");
        Path notUtf8 = Files.write(dir.resolve("latin1.yaml"), "rules: [é]".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> Rules.parse(missing))
                .isInstanceOfSatisfying(RewriteException.class,
                        e -> assertThat(e.code()).isEqualTo(RewriteErrorCode.BAD_RULES))
                .hasMessage(missing + ": cannot read the rules file: no such file");
        assertThatThrownBy(() -> Rules.parse(notUtf8))
                .isInstanceOf(RewriteException.class)
                .hasMessage(notUtf8 + ": cannot read the rules file: it is not UTF-8 text");
    }

    @Test
    void namesTheFileLineAndColumnOfMalformedJson() {
        assertBad("{\"rules\": [\n  {\"regex\": \"a\",}\n]}", "r.json",
                "r.json:2:17: Unexpected character ('}' (code 125)): was expecting double-quote to start field name");
        assertBad("{\"rules\": [", "r.json",
                "r.json:1:12: Unexpected end-of-input: expected close marker for Array (start marker at line 1, "
                        + "column 11)");
    }

    @Test
    void namesTheFileLineAndColumnOfMalformedYaml() {
        assertBad("rules:\n  - regex: 'x'\n   to: y\n", "r.yaml",
                "r.yaml:3:4: expected <block end>, but found '<block mapping start>' (while parsing a block "
                        + "collection)");
        assertBad("rules: \"\\q\"\n", "r.yaml",
                "r.yaml:1:10: found unknown escape character q(113) (while scanning a double-quoted scalar)");
    }

    @Test
    void rejectsAnEmptyFile() {
        assertBad("", "r.json", "r.json:1:1: the file is empty; it must hold an object with a 'rules' list");
        assertBad("# nothing yet\n", "r.yaml",
                "r.yaml:2:1: the file is empty; it must hold an object with a 'rules' list");
    }

    @Test
    void rejectsAFileWithoutRules() {
        assertBad("\n  {}", "r.json",
                "r.json:2:3: there is no 'rules' property; the file must hold an object with a 'rules' list");
        assertBad("[]", "r.json", "r.json:1:1: the file must hold an object with a 'rules' list, not a list");
        assertBad("rules:\n", "r.yaml", "r.yaml:1:7: 'rules' must be a list of rules, not null");
        assertBad("{\"rules\": {}}", "r.json", "r.json:1:11: 'rules' must be a list of rules, not an object");
        assertBad("{\"rules\":\n  []}", "r.json", "r.json:2:3: 'rules' is empty; give at least one rule");
        assertBad("rules: []\n", "r.yaml", "r.yaml:1:8: 'rules' is empty; give at least one rule");
    }

    @Test
    void rejectsUnknownAndRepeatedProperties() {
        assertBad("{\"rules\": [{\"regex\": \"a\", \"to\": \"{x}\"}], \"version\": 2}", "r.json",
                "r.json:1:42: unknown property 'version'; the file has one property, 'rules'");
        assertBad("{\"version\": 2, \"rules\": []}", "r.json",
                "r.json:1:2: unknown property 'version'; the file has one property, 'rules'");
        assertBad("rules:\n  - regex: x\n    to: '{x}'\n    math: 'user:*'\n", "r.yaml",
                "r.yaml:4:5: rule 1: unknown property 'math'; a rule has 'match', 'regex' and 'to'");
        assertBad("rules:\n  - regex: x\n    to: '{x}'\n    regex: y\n", "r.yaml",
                "r.yaml:4:5: rule 1: 'regex' is given twice");
        assertBad("rules:\n  - {regex: x, to: '{x}'}\nrules:\n  - {regex: x, to: '{x}'}\n", "r.yaml",
                "r.yaml:3:1: 'rules' is given twice");
    }

    @Test
    void rejectsValuesOfTheWrongType() {
        assertBad("rules:\n  - regex: x\n    to: 42\n", "r.yaml",
                "r.yaml:3:9: rule 1: 'to' must be a string, not a number; put it in quotes");
        assertBad("{\"rules\": [{\"regex\": [\"a\"], \"to\": \"{x}\"}]}", "r.json",
                "r.json:1:22: rule 1: 'regex' must be a string, not a list; put it in quotes");
        assertBad("{\"rules\": [{\"regex\": \"a\", \"to\": \"{x}\", \"match\": true}]}", "r.json",
                "r.json:1:49: rule 1: 'match' must be a string, not a boolean; put it in quotes");
        assertBad("rules:\n  - regex: x\n    to: '{x}'\n  - 'user:*'\n", "r.yaml",
                "r.yaml:4:5: rule 2 must be an object with 'regex', 'to' and optionally 'match', not a string");
    }

    @Test
    void rejectsContentAfterTheRules() {
        assertBad("{\"rules\": [{\"regex\": \"a\", \"to\": \"{x}\"}]} {}", "r.json",
                "r.json:1:42: found an object after the object that holds the rules; the file must hold that one "
                        + "object only");
        assertBad("rules:\n  - {regex: a, to: '{x}'}\n---\nrules: []\n", "r.yaml",
                "r.yaml:4:1: found an object after the object that holds the rules; the file must hold that one "
                        + "object only");
    }

    @Test
    void namesTheFileLineAndColumnOfTheValueThatFailsACheck() {
        String yaml = """
                rules:
                  - regex: '^user:(?<id>[0-9]+)$'
                    to: 'user:{${id}}'
                  - match: 'order:[0-9'
                    regex: '^order:(?<id>[0-9]+)$'
                    to: 'order:{${id}}'
                """;
        assertBad(yaml, "r.yaml", "r.yaml:4:12: rule 2: the glob 'order:[0-9' has a '[' at index 6 that is never "
                + "closed by ']'; write \\[ for a literal '['");
        assertBad(yaml.replace("'order:[0-9'", "'order:*'").replace("'^order:(?<id>[0-9]+)$'", "'^order:(?<id>'"),
                "r.yaml", "r.yaml:5:12: rule 2: the regex '^order:(?<id>' is not valid: Unclosed group near index 13");
        assertBad(yaml.replace("'order:[0-9'", "'order:*'").replace("'order:{${id}}'", "'order:${id}'"), "r.yaml",
                "r.yaml:6:9: rule 2: the template 'order:${id}' has no '{', so the names it gives have no hash tag: "
                        + "put the part that related keys share between '{' and '}'");
        assertBad(yaml.replace("'order:[0-9'", "'order:*'").replace("'user:{${id}}'", "'user:{${ID}}'"), "r.yaml",
                "r.yaml:3:9: rule 1: the template 'user:{${ID}}' refers to group 'ID' at index 6, which the regex "
                        + "does not have (its named groups: id)");
    }

    @Test
    void namesTheRuleWhenAPropertyIsMissing() {
        assertBad("{\"rules\": [\n  {\"regex\": \"(a)\", \"to\": \"{$1}\"},\n  {\"match\": \"a*\", \"to\": \"{x}\"}\n]}",
                "r.json", "r.json:3:3: rule 2: 'regex' is missing; give a regular expression that matches the whole "
                        + "key, with groups for the parts the new name keeps");
        assertBad("rules:\n  - regex: '(a)'\n", "r.yaml",
                "r.yaml:2:5: rule 1: 'to' is missing; give the new name, such as user:{${id}}:${rest}");
        assertBad("rules:\n  - regex: '(a)'\n    to: ~\n", "r.yaml",
                "r.yaml:2:5: rule 1: 'to' is missing; give the new name, such as user:{${id}}:${rest}");
        assertBad("rules:\n  - regex: '(a)'\n    to: ' '\n", "r.yaml",
                "r.yaml:3:9: rule 1: 'to' is blank; give the new name, such as user:{${id}}:${rest}");
    }

    // Found by RulesFileFuzzTest.

    @Test
    void refusesAYamlAliasRatherThanReadingTheAnchorsName() {
        // Jackson gives an alias as its anchor's name: rule 2's glob would have been "m".
        assertBad("""
                rules:
                  - match: &m "user:*"
                    regex: '^user:(.*)$'
                    to: '{u}$1'
                  - match: *m
                    regex: '^x:(.*)$'
                    to: '{x}$1'
                """, "r.yaml", "r.yaml:5:12: '*m' is a YAML alias, which a rules file cannot use; write the value out "
                + "in full");
        assertBad("rules:\n  - &r {regex: '^a(.*)$', to: '{a}$1'}\n  - *r\n", "r.yaml",
                "r.yaml:3:5: '*r' is a YAML alias, which a rules file cannot use; write the value out in full");
    }

    @Test
    void readsAFileThatStartsWithAByteOrderMark() throws Exception {
        assertThat(Rules.parse(write("rules.json", "\uFEFF" + JSON)).rules()).isEqualTo(EXPECTED);
        assertThat(Rules.parse(write("rules.yaml", "\uFEFF" + YAML)).rules()).isEqualTo(EXPECTED);
    }

    @Test
    void namesBinaryDataAsSuch() {
        assertBad("rules: [{regex: !!binary aGVsbG8=, to: '{a}'}]", "r.yaml",
                "r.yaml:1:17: rule 1: 'regex' must be a string, not binary data; put it in quotes");
    }

    @Test
    void refusesARegexTooLongToCompileQuickly() {
        String regex = "a".repeat(Rules.MAX_REGEX_LENGTH + 1);
        assertBad("{\"rules\": [{\"regex\": \"" + regex + "\", \"to\": \"{a}\"}]}", "r.json",
                "r.json:1:22: rule 1: the regex is 4097 characters long; give one of at most 4096");
        assertThat(Rules.parse("{\"rules\": [{\"regex\": \"" + regex.substring(1) + "\", \"to\": \"{a}\"}]}",
                "r.json").rules()).hasSize(1);
    }
}
