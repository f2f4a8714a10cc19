package io.reslot.cli;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.Retag;
import io.reslot.rewrite.RetagCounts;
import io.reslot.rewrite.RetagOptions;
import io.reslot.rewrite.RetagOptions.Mode;
import io.reslot.rewrite.RetagPlan;
import io.reslot.rewrite.Rule;
import io.reslot.rewrite.Rules;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code reslot retag (--rules FILE | --match GLOB --regex RE --to TEMPLATE) [--mode ...] [--on-conflict ...]}: renames
 * keys to add hash tags.
 */
final class RetagCommand implements Command {

    private static final String RULES = "rules";
    private static final String MATCH = "match";
    private static final String REGEX = "regex";
    private static final String TO = "to";
    private static final String MODE = "mode";
    private static final String ON_CONFLICT = "on-conflict";

    @Override
    public String name() {
        return "retag";
    }

    @Override
    public String synopsis() {
        return "(--rules FILE | [--match GLOB] --regex RE --to TEMPLATE) [--mode move|copy|cleanup|verify]"
                + " [--on-conflict fail|skip|replace]";
    }

    @Override
    public String summary() {
        return "rename keys to add hash tags, so that related keys share a slot";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot retag --match 'user:*' --regex '^user:(?<id>[0-9]+):(?<rest>.*)$' \\",
                "    --to 'user:{${id}}:${rest}' --dry-run",
                "reslot retag --rules rules.yaml --mode verify");
    }

    @Override
    public String description() {
        return """
                Renames the keys a rule matches: a key matching the glob (SCAN MATCH) and the
                whole regex gets the name the template makes of the regex's groups, ${name}
                or $1. Example: --match 'user:*' --regex '^user:(?<id>[0-9]+):(?<rest>.*)$'
                --to 'user:{${id}}:${rest}' makes user:42:cart user:{42}:cart. A rules file
                (JSON or YAML: {"rules":[{"match":..,"regex":..,"to":..}]}) holds several
                rules; the first that matches a key wins. Keys that already carry the tag
                their new name would have are skipped. Rules are checked before any key is
                touched; a bad one exits 2 naming it (and its file, line and column).

                Modes: move (default) copies each key to its new name and deletes the old
                one only if it is unchanged, so no write and no TTL is lost; copy keeps the
                old keys for a rollout that reads both names; cleanup deletes old keys
                whose copy is identical; verify changes nothing and counts old keys left
                over and copies that differ (exit 3 when there are any).

                --on-conflict: a new name taken by another key stops the run (fail,
                default), is left alone (skip), or is overwritten (replace).

                --mode verify changes nothing, so it neither asks nor needs --yes.

                Without --yes or --json, reslot first scans the cluster and prints what
                the retag would do (keys to rename, collisions, largest tag groups, keys
                per master, bytes to move), then asks "Retag N keys? [y/N]". --dry-run
                prints that and changes nothing. With --yes or --json that scan, a pass
                over every key, is skipped unless --dry-run asks for it. A run saves its progress in the cluster
                and holds the cluster's lock: started again after a crash or Ctrl-C (exit
                130), it continues where it stopped (a crashed run's lock lasts its lease,
                30 s or $RESLOT_LOCK_LEASE_MS ms). Progress goes to stderr: keys scanned of
                those the plan counted (or of the masters' DBSIZE with --yes), keys handled,
                keys/s and ETA; a bar on a terminal, else a line a second, JSON lines with
                --json, nothing with -q. --json prints one document on stdout:
                {"plan":{...},"dryRun":false,"counts":{...}}.

                Exit codes: 0 done, 1 failed or not confirmed, 2 bad rules, 3 verify found
                keys left over or differing, 4 another run holds the lock, 130 interrupted.
                """;
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt(RULES).hasArg().argName("FILE")
                        .desc("a rules file, .json or .yaml").get())
                .addOption(Option.builder().longOpt(MATCH).hasArg().argName("GLOB")
                        .desc("the keys to look at, a SCAN MATCH glob; default all").get())
                .addOption(Option.builder().longOpt(REGEX).hasArg().argName("RE")
                        .desc("a Java regular expression that must match the whole key").get())
                .addOption(Option.builder().longOpt(TO).hasArg().argName("TEMPLATE")
                        .desc("the new name, with ${group} or $1 references and a {hash tag}").get())
                .addOption(Option.builder().longOpt(MODE).hasArg().argName("move|copy|cleanup|verify")
                        .desc("what to do with each key; default move").get())
                .addOption(Option.builder().longOpt(ON_CONFLICT).hasArg().argName("fail|skip|replace")
                        .desc("a new name taken by another key: stop (default), leave it, overwrite it").get())
                .addOption(Option.builder().longOpt(Moves.DRY_RUN)
                        .desc("print what would be done and change nothing").get());
    }

    /**
     * The one document of {@code --json}.
     *
     * @param plan what the scan found; {@code null} when no plan was made ({@code --yes} without {@code --dry-run})
     * @param dryRun whether {@code --dry-run} was given
     * @param counts what the run did; {@code null} when none ran
     */
    record Report(RetagPlan plan, boolean dryRun, RetagCounts counts) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        CommandLine line = invocation.line();
        Rules rules = rules(line);
        Mode mode = choice(line, MODE, Mode.class, Mode.MOVE);
        RetagOptions options = RetagOptions.builder().mode(mode)
                .onConflict(choice(line, ON_CONFLICT, OnConflict.class, OnConflict.FAIL))
                .lockLease(Moves.lockLease(invocation.env())).build();
        boolean dryRun = line.hasOption(Moves.DRY_RUN);
        Io io = invocation.io();
        boolean ask = !invocation.json() && !invocation.globals().yes() && mode != Mode.VERIFY;
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RetagPlan plan = null;
            if (dryRun || ask) {
                plan = RetagPlan.of(access, rules, options);
                if (!invocation.json()) {
                    io.print(plan.table());
                    io.out().flush(); // the plan must be on screen before the question
                }
                if (dryRun || plan.isEmpty()) {
                    if (invocation.json()) {
                        Json.print(io, new Report(plan, dryRun, null));
                    } else if (dryRun) {
                        io.err().println("reslot: --dry-run: nothing was changed");
                    }
                    return ExitCode.OK;
                }
                String verb = mode.name().toLowerCase(Locale.ROOT);
                if (!Moves.confirmed(io, "Retag " + plan.matched() + " keys (" + verb + ")? [y/N] ")) {
                    io.err().println("reslot: not confirmed; nothing was changed");
                    return ExitCode.NOT_CONFIRMED;
                }
            }
            Progress progress = Progress.forInvocation(invocation);
            long estimate = plan != null ? plan.scanned()
                    : progress.mode() == Progress.Mode.NONE ? 0 : keyCount(access);
            RetagCounts counts;
            try (Progress.Retagging retagging = progress.retag(name(), estimate)) {
                counts = StopOnSignal.run(() -> Retag.run(access, rules, options, retagging));
            }
            if (invocation.json()) {
                Json.print(io, new Report(plan, false, counts));
            } else {
                io.print(summary(mode, counts));
            }
            if (mode == Mode.VERIFY && counts.leftOver() + counts.differs() + counts.notCopied() > 0) {
                return ExitCode.PROBLEMS;
            }
            return ExitCode.OK;
        }
    }

    /** The rules from {@code --rules FILE} or from the one-rule options, never both. */
    private static Rules rules(CommandLine line) {
        boolean inline = line.hasOption(REGEX) || line.hasOption(TO) || line.hasOption(MATCH);
        if (line.hasOption(RULES)) {
            if (inline) {
                throw new UsageException("give --rules FILE or --regex/--to (and --match), not both");
            }
            String file = line.getOptionValue(RULES);
            try {
                return Rules.parse(Path.of(file));
            } catch (InvalidPathException e) {
                throw new UsageException("--" + RULES + " " + file + ": not a valid path: " + e.getReason());
            }
        }
        if (!line.hasOption(REGEX) || !line.hasOption(TO)) {
            throw new UsageException("retag needs --rules FILE, or --regex RE and --to TEMPLATE; see 'reslot retag"
                    + " --help'");
        }
        return Rules.of(List.of(new Rule(line.getOptionValue(MATCH), line.getOptionValue(REGEX),
                line.getOptionValue(TO))));
    }

    private static <E extends Enum<E>> E choice(CommandLine line, String option, Class<E> type, E otherwise) {
        String value = line.getOptionValue(option);
        if (value == null) {
            return otherwise;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new UsageException("--" + option + " " + value + ": give one of " + names);
        }
    }

    /**
     * The keys the masters hold ({@code DBSIZE}), what a retag scans: the estimated total of its progress when no plan
     * counted them; 0 if a master does not answer (the run itself then says what is wrong).
     */
    static long keyCount(ClusterAccess access) {
        long keys = 0;
        try {
            for (NodeInfo master : access.topology().masters()) {
                keys += access.connection(master).sync().dbsize();
            }
        } catch (RuntimeException e) {
            return 0;
        }
        return keys;
    }

    /** The last lines: what the run did, by outcome; a count of 0 is left out. */
    static String summary(Mode mode, RetagCounts c) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s: %d keys scanned, %d matched",
                mode.name().toLowerCase(Locale.ROOT), c.scanned(), c.matched()));
        append(out, c.moved(), "moved");
        append(out, c.renamed(), "renamed in their slot");
        append(out, c.copied(), "copied");
        append(out, c.cleaned(), "old keys deleted");
        append(out, c.alreadyDone(), "already done");
        append(out, c.alreadyTagged(), "already tagged");
        append(out, c.noTag(), "skipped (new name without a tag)");
        append(out, c.vanished(), "gone meanwhile");
        append(out, c.skipped(), "skipped (new name taken)");
        append(out, c.differs(), "differ from their copy");
        append(out, c.notCopied(), "not copied");
        append(out, c.leftOver(), "left over (identical copy)");
        append(out, c.left(), "written again under the old name (new name taken)");
        return out.append('\n').toString();
    }

    private static void append(StringBuilder out, long count, String what) {
        if (count > 0) {
            out.append(", ").append(count).append(' ').append(what);
        }
    }
}
