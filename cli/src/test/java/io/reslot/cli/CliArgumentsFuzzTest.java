package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reslot.slot.Mutations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated argument vectors for every command, run in-process with {@code -c 127.0.0.1:1}, where nobody answers, and
 * an empty environment and stdin. Seed 17. Two kinds of case:
 * <ul>
 *   <li><b>malformed</b> (1,562): a valid vector of a command with one thing made wrong that can be known
 *       without a cluster: an unknown option, an option without its value, a required option left out, an argument
 *       left over, an option that takes one value given twice, a bad value for a number, a decimal, a SLOTS list, a
 *       choice, a weight, a version, a file or a directory (including values with U+FFFD, lone surrogates and NUL,
 *       which is what invalid UTF-8 in argv becomes), a blank node, bad connection options, an unknown command.
 *       These must exit 2;
 *   <li><b>random</b> (2,000 drawn; 1,975 run, the others have {@code demo} or {@code --help}): a valid vector
 *       with one to three random tokens deleted, repeated, inserted or replaced. Nothing is known about these but the
 *       rules below; each may exit 0 ({@code --version}, {@code slot}), 1 or 2.
 * </ul>
 * Every case must end with exit 0, 1 or 2 and no exception; with 1, stderr is the one line {@code reslot: no node
 * answered: ...} (only the cluster's silence may fail a run: "unexpected error" or a stack trace is a bug); with 2,
 * stderr is one line {@code reslot: <message>} and stdout is empty. A well-formed vector goes on to connect and exits
 * 1; {@code acceptsEveryValidVector} checks that the vectors the mutations start from are well formed. {@code demo}
 * is left out of the random cases, which could start a cluster; its malformed cases are in the list.
 */
class CliArgumentsFuzzTest {

    private static final long SEED = 17;
    private static final int RANDOM_CASES = 2_000;
    private static final String NOBODY = "127.0.0.1:1";
    private static final Set<Integer> BAD = Set.of(2);

    /** What an option's value is, for the bad values each kind has. */
    enum Kind { NODE, NUMBER, DECIMAL, SLOTS, CHOICE, WEIGHT, VERSION, FILE, DIR, TEXT, JOB, FLAG }

    /** A valid vector of one command: its name, its options with values, and which are required. */
    record Template(String command, Map<String, String> options, Map<String, Kind> kinds, Set<String> required) {

        List<String> args() {
            List<String> args = new ArrayList<>(List.of(command));
            options.forEach((option, value) -> {
                args.add(option);
                if (kinds.get(option) != Kind.FLAG) {
                    args.add(value);
                }
            });
            return args;
        }
    }

    @TempDir
    static Path dir;
    static Path rules;
    static Path migrations;

    private final List<String> failures = new ArrayList<>();
    private int cases;

    @BeforeAll
    static void files() throws IOException {
        rules = Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - {regex: '^user:(\\d+):(.*)$', to: "
                + "'user:{$1}:$2'}\n");
        migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__Drain.yaml"), "steps:\n  - drain: {node: 127.0.0.1:7002}\n");
    }

    static List<Template> templates() {
        List<Template> t = new ArrayList<>();
        Map<String, Kind> mover = new LinkedHashMap<>();
        for (String option : List.of("--max-pause", "--batch-keys", "--parallel", "--window", "--timeout", "--rate",
                "--wait-replicas")) {
            mover.put(option, Kind.NUMBER);
        }
        mover.put("--on-busy-key", Kind.CHOICE);
        t.add(template("reshard", mover, Set.of("--to", "--slots"), "--to", Kind.NODE, "127.0.0.1:7000",
                "--slots", Kind.NUMBER, "100", "--from", Kind.NODE, "127.0.0.1:7001,127.0.0.1:7002",
                "--max-pause", Kind.NUMBER, "10", "--dry-run", Kind.FLAG, ""));
        t.add(template("move-slots", mover, Set.of("--slots", "--to"), "--slots", Kind.SLOTS, "0-99,200",
                "--to", Kind.NODE, "127.0.0.1:7000", "--batch-keys", Kind.NUMBER, "100", "--parallel", Kind.NUMBER,
                "2", "--window", Kind.NUMBER, "4", "--timeout", Kind.NUMBER, "5000", "--rate", Kind.NUMBER, "0",
                "--on-busy-key", Kind.CHOICE, "compare", "--wait-replicas", Kind.NUMBER, "0"));
        t.add(template("rebalance", mover, Set.of(), "--weight", Kind.WEIGHT, "127.0.0.1:7000=2",
                "--threshold", Kind.DECIMAL, "2.5", "--use-empty-masters", Kind.FLAG, ""));
        t.add(template("drain", mover, Set.of("--node"), "--node", Kind.NODE, "127.0.0.1:7002"));
        t.add(template("resume", mover, Set.of(), "--job", Kind.JOB, "1a2b3c4d", "--rate", Kind.NUMBER, "5000"));
        t.add(template("retag", Map.of(), Set.of("--regex", "--to"), "--match", Kind.TEXT, "user:*",
                "--regex", Kind.TEXT, "^user:(\\d+):(.*)$", "--to", Kind.TEXT, "user:{$1}:$2",
                "--mode", Kind.CHOICE, "copy", "--on-conflict", Kind.CHOICE, "skip"));
        t.add(template("retag", Map.of(), Set.of("--rules"), "--rules", Kind.FILE, rules.toString(),
                "--dry-run", Kind.FLAG, ""));
        t.add(template("migrate", Map.of(), Set.of("--location"), "--location", Kind.DIR, migrations.toString(),
                "--target", Kind.VERSION, "1", "--out-of-order", Kind.FLAG, ""));
        for (String command : List.of("info", "validate", "repair")) {
            t.add(template(command, Map.of(), Set.of("--location"), "--location", Kind.DIR, migrations.toString()));
        }
        t.add(template("baseline", Map.of(), Set.of("--location", "--version"), "--location", Kind.DIR,
                migrations.toString(), "--version", Kind.VERSION, "1", "--dry-run", Kind.FLAG, ""));
        t.add(template("nodes", Map.of(), Set.of()));
        t.add(template("check", Map.of(), Set.of()));
        t.add(template("fix", Map.of(), Set.of(), "--dry-run", Kind.FLAG, ""));
        return t;
    }

    /**
     * A template from {@code option, kind, value} triples; {@code extra} are further options the command has (the
     * mover options), which malformed cases may add.
     */
    private static Template template(String command, Map<String, Kind> extra, Set<String> required, Object... ovk) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, Kind> kinds = new LinkedHashMap<>(extra);
        for (int i = 0; i < ovk.length; i += 3) {
            options.put((String) ovk[i], (String) ovk[i + 2]);
            kinds.put((String) ovk[i], (Kind) ovk[i + 1]);
        }
        return new Template(command, options, kinds, required);
    }

    /** Values that are wrong for an option of {@code kind} whatever the cluster; empty for kinds only it can judge. */
    static List<String> badValues(String option, Kind kind) {
        List<String> invalidText = List.of("\uFFFD", "\uD800", "a\u0000b");
        List<String> values = new ArrayList<>(switch (kind) {
            case NUMBER -> List.of("", " ", "abc", "-1", "99999999999999999999", "-99999999999999999999", "1.5",
                    "0x10", "1e3", "\u0663", "1 2", "+-1", tooLarge(option), option.equals("--slots") ? "0" : "-5");
            case DECIMAL -> List.of("", "abc", "-1", "NaN", "Infinity", "-Infinity", "1e999", "0x1p3", "2f", "1,5");
            case SLOTS -> List.of("", " ", ",", "1,,2", "200-100", "0-16384", "16384", "-1", "-1-5", "1-", "abc",
                    "99999999999999999999", "0-16383,200-100");
            case CHOICE -> List.of("", "bogus", "fail,compare", "move copy");
            case WEIGHT -> List.of("", "n", "=2", "n=", "n=-1", "n=abc", "n=NaN", "n=Infinity", "n=1e999");
            case VERSION -> List.of("", " ", "a", "-1", "1..2", ".1", "1.", "v1", "1.2-beta");
            case FILE -> List.of("", dir.resolve("no-such.yaml").toString(), dir.toString(),
                    dir.resolve("rules.txt").toString(), migrations.resolve("V1__Drain.yaml") + ".json");
            case DIR -> List.of("", " ", dir.resolve("no-such").toString(), rules.toString(), "filesystem:",
                    "classpath:", "classpath:/");
            case NODE, JOB -> List.of("", " ");
            case TEXT -> option.equals("--to") ? List.of("", "no-tag-$1", "{$9}", "{${nope}}")
                    : option.equals("--regex") ? List.of("", "(", "[a-", "a".repeat(5000)) : List.of("[");
            case FLAG -> List.<String>of();
        });
        if (kind == Kind.NUMBER || kind == Kind.DECIMAL || kind == Kind.SLOTS || kind == Kind.CHOICE
                || kind == Kind.VERSION || kind == Kind.FILE || kind == Kind.DIR) {
            values.addAll(invalidText);
        }
        if (kind == Kind.FILE || kind == Kind.DIR) {
            values.addAll(invalidText.stream().map(text -> dir.resolve("x").toString() + text).toList());
        }
        return values;
    }

    /** One more than the largest value of a number option. */
    private static String tooLarge(String option) {
        return switch (option) {
            case "--slots" -> "16385";
            case "--max-pause", "--timeout", "--rate" -> "9223372036854775808";
            default -> "2147483648";
        };
    }

    /** Whole vectors that are malformed in ways not tied to one option. */
    static List<List<String>> malformedVectors() {
        return List.of(
                List.of(), List.of(""), List.of(" "), List.of("--"), List.of("reshard--to"), List.of("\uFFFD"),
                List.of("-v", "-q", "nodes"), List.of("nodes", "-v", "-q"), List.of("--bogus", "nodes"),
                List.of("-Z", "nodes"), List.of("--cluster"), List.of("nodes", "--cluster"),
                List.of("-c", "", "nodes"), List.of("-c", ",", "nodes"), List.of("-c", "nohostport", "nodes"),
                List.of("-c", "127.0.0.1:0", "nodes"), List.of("-c", "127.0.0.1:65536", "nodes"),
                List.of("-c", "127.0.0.1:99999999999999999999", "nodes"), List.of("-c", "127.0.0.1:-1", "nodes"),
                List.of("-c", ":1", "nodes"), List.of("-c", "127.0.0.1:", "nodes"), List.of("-c", "\uFFFD", "nodes"),
                List.of("--password-env", "NO_SUCH_VARIABLE", "nodes"), List.of("--user", "u", "nodes"),
                List.of("--password-file", dir.resolve("no-such").toString(), "nodes"),
                List.of("--password-file", dir.toString(), "nodes"),
                List.of("--password-file", "a\u0000b", "nodes"),
                List.of("--password-env", "A", "--password-file", rules.toString(), "nodes"),
                List.of("slot", "--hex", "zz"), List.of("slot", "--hex", "abc"), List.of("slot", "--hex", "\uFFFD"),
                List.of("demo", "--keys", "-1"), List.of("demo", "--keys", "abc"), List.of("demo", "--keys", "0"),
                List.of("demo", "--keys", "99999999999999999999"), List.of("demo", "extra"),
                List.of("demo", "--bogus"), List.of("demo", "--keys"),
                List.of("resume", "--job"), List.of("nodes", "extra"), List.of("check", "--dry-run"),
                List.of("reshard", "--to", "a", "--to", "b", "--slots", "1"),
                List.of("move-slots", "--slots", "1", "--slots", "2", "--to", "a"),
                List.of("retag", "--rules", rules.toString(), "--rules", rules.toString()),
                List.of("retag", "--rules", rules.toString(), "--regex", "^(a)$"),
                List.of("retag", "--regex", "^(a)$"), List.of("retag", "--to", "{a}"),
                List.of("migrate", "--location", migrations.toString(), "--target", "1", "--target", "2"),
                List.of("reshard", "--to", "a", "--slots", "1", "--from", ","),
                List.of("reshard", "--to", "a", "--slots", "1", "--from", "a,,b"),
                List.of("reshard", "--to", "a", "--slots", "1", "--from", "all,a"),
                List.of("reshard", "--to", "a", "--slots", "1", "--from", " "),
                List.of("rebalance", "--weight", "n=1", "--weight", "n=2"));
    }

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void acceptsEveryValidVector() {
        for (Template template : templates()) {
            run(template.args(), Set.of(1), "valid");
        }
        run(List.of("slot", "user:{42}:cart"), Set.of(0), "valid");
        assertThat(failures).isEmpty();
    }

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void malformedVectorsExitWith2() {
        long start = System.nanoTime();
        Mutations mutations = new Mutations(SEED);
        for (Template template : templates()) {
            List<String> valid = template.args();
            for (Map.Entry<String, Kind> option : template.kinds().entrySet()) {
                String name = option.getKey();
                for (String value : badValues(name, option.getValue())) {
                    run(withValue(template, name, value), BAD, name + " " + Mutations.show(value));
                }
                if (option.getValue() != Kind.FLAG) {
                    run(withoutValue(template, name), BAD, name + " without its value");
                }
                if (template.required().contains(name)) {
                    run(without(template, name), BAD, "without " + name);
                }
            }
            for (int i = 0; i < 20; i++) {
                List<String> args = new ArrayList<>(valid);
                String unknown = "--" + mutations.text("abcdefghijklmnopqrstuvwxyz-", 12) + "zz";
                args.add(1 + mutations.random().nextInt(args.size()), unknown);
                run(args, BAD, "unknown option " + unknown);
            }
            List<String> extra = new ArrayList<>(valid);
            extra.add(mutations.pick(List.of("x", "", "-", "127.0.0.1:7000", "\uFFFD")));
            run(extra, BAD, "an argument left over");
            for (int i = 0; i < 20; i++) {
                List<String> args = new ArrayList<>(valid);
                args.set(0, mutations.text("abcdefghijklmnopqrstuvwxyz-", 12) + "zz");
                run(args, BAD, "unknown command");
            }
        }
        for (List<String> vector : malformedVectors()) {
            run(vector, BAD, "malformed vector");
        }
        System.out.printf("CliArgumentsFuzzTest: %d malformed vectors in %d ms%n", cases,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
    }

    @Test
    @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
    void randomVectorsExitWith0Or1Or2AndNeverCrash() {
        long start = System.nanoTime();
        Mutations mutations = new Mutations(SEED + 1);
        List<Template> templates = templates();
        List<String> tokens = new ArrayList<>(Mutations.TOKENS);
        templates.forEach(t -> tokens.addAll(t.kinds().keySet()));
        // Not -v: it prints the stack trace of every failure, by design.
        tokens.addAll(List.of("-c", "-q", "--json", "--yes", "--help", "-h", "--version", "--tls", "--",
                "--user", "--password-env", "--password-file", "slot"));
        for (int i = 0; i < RANDOM_CASES; i++) {
            List<String> args = mutations.pick(templates).args();
            int edits = 1 + mutations.random().nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = mutations.random().nextInt(args.size() + 1);
                switch (mutations.random().nextInt(5)) {
                    case 0 -> args.add(at, mutations.pick(tokens));
                    case 1 -> args.add(at, mutations.text("abc-0123456789:=,{}$", 16));
                    case 2 -> args.remove(Math.min(at, args.size() - 1));
                    case 3 -> args.add(at, args.get(mutations.random().nextInt(args.size())));
                    default -> args.set(Math.min(at, args.size() - 1), mutations.pick(tokens));
                }
                if (args.isEmpty()) {
                    args.add("nodes");
                }
            }
            if (args.contains("demo") || args.contains("-h") || args.contains("--help")) {
                continue; // demo could start a cluster; help is not the point
            }
            run(args, Set.of(0, 1, 2), "random");
        }
        System.out.printf("CliArgumentsFuzzTest: %d random vectors in %d ms%n", cases,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
    }

    /** The bugs the malformed cases found, each with the message it has now. */
    @Test
    void regressions() {
        assertBad("reslot: --to is blank; give NODE", "reshard", "--to", "", "--slots", "1");
        assertBad("reslot: --to is blank; give NODE", "move-slots", "--slots", "1", "--to", " ");
        assertBad("reslot: --node is blank; give NODE", "drain", "--node", "");
        assertBad("reslot: --job is blank; give the ID of a job, or leave --job out for the newest unfinished one",
                "resume", "--job", " ");
        assertBad("reslot: --slots \u0663: give a whole number from 1 to 16384", "reshard", "--to", "a", "--slots",
                "\u0663");
        assertBad("reslot: --rate \u0661: give a whole number of 0 or more", "drain", "--node", "a", "--rate",
                "\u0661");
        assertBad("reslot: --to is given more than once; give it once", "reshard", "--to", "a", "--to", "b",
                "--slots", "1");
        assertBad("reslot: --user is given more than once; give it once", "--user", "a", "--user", "b", "nodes");
        assertBad("reslot: --rules a\u0000b: not a valid path: Nul character not allowed", "retag", "--rules",
                "a\u0000b");
        assertBad("reslot: target: invalid migration version \"abc\": \"abc\" is not a whole number; give whole "
                + "numbers separated by dots, such as 1 or 1.2", "migrate", "--location", migrations.toString(),
                "--target", "abc");
        assertBad("reslot: unexpected argument 'a  b'; this command takes none", "check", "a\r\nb");
        // Repeatable options still add up.
        Cli.Result twoSeeds = Cli.run("-c", NOBODY, "-c", "127.0.0.1:2", "nodes");
        assertThat(twoSeeds.exit()).isEqualTo(1);
        assertThat(twoSeeds.stderr()).startsWith("reslot: no node answered: " + NOBODY + " did not answer");
        assertThat(Cli.run("-c", NOBODY, "rebalance", "--weight", "a=1", "--weight", "b=2").exit()).isEqualTo(1);
    }

    private static void assertBad(String stderr, String... args) {
        List<String> vector = new ArrayList<>(List.of("-c", NOBODY));
        vector.addAll(List.of(args));
        Cli.Result result = Cli.run(vector.toArray(new String[0]));
        assertThat(result.exit()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(stderr + "\n");
    }

    private static List<String> withValue(Template template, String option, String value) {
        Map<String, String> options = new LinkedHashMap<>(template.options());
        options.put(option, value);
        return new Template(template.command(), options, template.kinds(), template.required()).args();
    }

    private static List<String> withoutValue(Template template, String option) {
        List<String> args = without(template, option);
        args.add(option); // last, so that nothing can be taken for its value
        return args;
    }

    private static List<String> without(Template template, String option) {
        Map<String, String> options = new LinkedHashMap<>(template.options());
        options.remove(option);
        return new Template(template.command(), options, template.kinds(), template.required()).args();
    }

    /** Runs {@code reslot -c NOBODY args...} (without {@code -c} when the case has its own) and notes a failure if the outcome breaks a rule of the class comment. */
    private void run(List<String> args, Set<Integer> expected, String why) {
        cases++;
        List<String> vector = new ArrayList<>(args.contains("-c") ? List.of() : List.of("-c", NOBODY));
        vector.addAll(args);
        String failure;
        try {
            failure = judge(Cli.run(vector.toArray(new String[0])), expected);
        } catch (RuntimeException | Error e) {
            failure = "threw " + e;
        }
        if (failure != null) {
            failures.add(why + ": reslot " + String.join(" ", vector.stream().map(a -> "'" + Mutations.show(a) + "'")
                    .toList()) + ": " + failure);
        }
    }

    private static String judge(Cli.Result result, Set<Integer> expected) {
        String err = result.stderr();
        String said = "exit " + result.exit() + ", stderr " + Mutations.show(err);
        if (!expected.contains(result.exit())) {
            return said;
        }
        if (err.contains("unexpected error") || err.contains("\tat ") || err.contains("Exception")) {
            return "a bug's message: " + said;
        }
        boolean oneLine = err.startsWith("reslot: ") && err.indexOf('\n') == err.length() - 1
                && !err.substring(8).isBlank();
        if (result.exit() == 1 && !(oneLine && err.startsWith("reslot: no node answered: "))) {
            return "exit 1 for another reason than a silent cluster: " + said;
        }
        if (result.exit() == 2 && !(oneLine && result.stdoutBytes().length == 0)) {
            return "not one line on stderr and nothing on stdout: " + said;
        }
        return null;
    }
}
