package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

import io.reslot.migrate.BusyKeyPolicy;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobOutcome;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MoveListener;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Plan;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * What the commands that move slots ({@code reshard}, {@code move-slots}, {@code rebalance}, {@code drain},
 * {@code resume}) share: {@code --dry-run} and the mover options, and {@link #run}, which takes a command from its
 * plan to its outcome the same way for all five.
 */
final class Moves {

    static final String DRY_RUN = "dry-run";
    static final String MAX_PAUSE = "max-pause";
    static final String BATCH_KEYS = "batch-keys";
    static final String PARALLEL = "parallel";
    static final String WINDOW = "window";
    static final String TIMEOUT = "timeout";
    static final String RATE = "rate";
    static final String ON_BUSY_KEY = "on-busy-key";
    static final String WAIT_REPLICAS = "wait-replicas";
    private static final Pattern DIGITS = Pattern.compile("[+-]?[0-9]+");

    /**
     * The lease of the cluster's lock in milliseconds, default {@link Jobs#DEFAULT_LOCK_LEASE}: how long a run that
     * crashed keeps the next one out. Shorter for tests; longer where renewals may be slow (a congested network).
     */
    static final String LOCK_LEASE_ENV = "RESLOT_LOCK_LEASE_MS";

    /** The paragraphs that end the help of each of the five commands. */
    static final String HELP = """

            The plan is printed first (with --json it is part of the one document at the
            end). --dry-run stops there and changes nothing. Otherwise reslot asks
            "Move N slots? [y/N]" on stderr and reads the answer from stdin, unless --yes
            or --json is given; anything but y or yes, or the end of stdin, changes
            nothing and exits with 1.

            The move is a job stored in the cluster, under the cluster's lock. Its
            progress (slots, keys, keys/s, ETA) goes to stderr: a bar on a terminal,
            else a line at most once a second; none with -q. With --json it is JSON
            lines: plan, progress (a second apart), error, finished, and with -v each
            slot's slot-started and slot-done. The last line says what moved and the
            job id. --json prints one document on stdout at the end:
            {"job":ID,"plan":{...},"dryRun":false,"outcome":{"jobId":ID,"slotsDone":N,
            "keys":N,"bytes":N,"elapsedMillis":N,"warnings":[...],...}}.

            Ctrl-C stops the job at its next step, records what was done, releases the
            lock and exits with 130; a crash leaves the lock until its lease (30 s, or
            $RESLOT_LOCK_LEASE_MS ms) runs out. Either way 'reslot resume' finishes the
            job. Exit codes: 0 done (or nothing to move), 1 failed or not confirmed,
            2 bad input, 4 another run holds the lock, 130 interrupted.
            """;

    private Moves() {
    }

    /**
     * What a command is about to do.
     *
     * @param job the id of the job being resumed, or {@code null} for a new one
     * @param plan what moves: the whole plan of a new job, the slots still to move of a resumed one
     * @param start starts the job
     */
    record Move(String job, Plan plan, Start start) {
    }

    /** Starts a job and returns its outcome, as {@link Jobs#run} or {@link Jobs#resume} do. */
    @FunctionalInterface
    interface Start {

        JobOutcome start(MoveListener listener, Duration lockLease);
    }

    /**
     * The one document of {@code --json}.
     *
     * @param job the job's id: the resumed one, or the new one once it ran; {@code null} when no job ran
     * @param plan what moves (or would move, with {@code --dry-run})
     * @param dryRun whether {@code --dry-run} was given
     * @param outcome what the job did; {@code null} when none ran (dry run, or nothing to move)
     */
    record Report(String job, Plan plan, boolean dryRun, JobOutcome outcome) {
    }

    /** A move of a new job: {@code plan} run by {@link Jobs#run} with {@code options}. */
    static Move newJob(ClusterAccess access, Plan plan, MoverOptions options) {
        return new Move(null, plan, (listener, lease) -> Jobs.run(access, plan, options, lease, listener));
    }

    /** Adds {@code --dry-run} and the mover options to {@code options} and returns it. */
    static Options addTo(Options options) {
        return options
                .addOption(Option.builder().longOpt(DRY_RUN)
                        .desc("print the plan and change nothing").get())
                .addOption(Option.builder().longOpt(MAX_PAUSE).hasArg().argName("MS")
                        .desc("the longest single MIGRATE pause to aim for; default "
                                + MoverOptions.DEFAULT_MAX_PAUSE_MILLIS).get())
                .addOption(Option.builder().longOpt(BATCH_KEYS).hasArg().argName("N")
                        .desc("at most N keys per MIGRATE; default " + MoverOptions.DEFAULT_BATCH_KEYS).get())
                .addOption(Option.builder().longOpt(PARALLEL).hasArg().argName("N")
                        .desc("source/target pairs moving at once; default " + MoverOptions.DEFAULT_PARALLEL).get())
                .addOption(Option.builder().longOpt(WINDOW).hasArg().argName("N")
                        .desc("slots in flight per pair; default " + MoverOptions.DEFAULT_WINDOW).get())
                .addOption(Option.builder().longOpt(TIMEOUT).hasArg().argName("MS")
                        .desc("MIGRATE's timeout; default " + MoverOptions.DEFAULT_TIMEOUT_MILLIS).get())
                .addOption(Option.builder().longOpt(RATE).hasArg().argName("KEYS_PER_S")
                        .desc("at most this many keys per second; default 0, no limit").get())
                .addOption(Option.builder().longOpt(ON_BUSY_KEY).hasArg().argName("fail|compare|replace")
                        .desc("a key that is already on the target: stop; move it if both copies are equal, else "
                                + "stop (default); overwrite the target's copy").get())
                .addOption(Option.builder().longOpt(WAIT_REPLICAS).hasArg().argName("N")
                        .desc("after each batch, WAIT until N replicas of the target have it; default 0").get());
    }

    /**
     * The mover options: {@code base} with the options given on {@code line} in place of its own.
     *
     * @throws UsageException naming the option and its value if a value is not valid
     */
    static MoverOptions moverOptions(CommandLine line, MoverOptions base) {
        MoverOptions.Builder builder = base.toBuilder();
        ifGiven(line, MAX_PAUSE, 1, Long.MAX_VALUE, builder::maxPauseMillis);
        ifGiven(line, BATCH_KEYS, 1, Integer.MAX_VALUE, n -> builder.batchKeys((int) n));
        ifGiven(line, PARALLEL, 1, Integer.MAX_VALUE, n -> builder.parallel((int) n));
        ifGiven(line, WINDOW, 1, Integer.MAX_VALUE, n -> builder.window((int) n));
        ifGiven(line, TIMEOUT, 1, Long.MAX_VALUE, builder::timeoutMillis);
        ifGiven(line, RATE, 0, Long.MAX_VALUE, builder::rate);
        ifGiven(line, WAIT_REPLICAS, 0, Integer.MAX_VALUE, n -> builder.waitReplicas((int) n));
        if (line.hasOption(ON_BUSY_KEY)) {
            String value = line.getOptionValue(ON_BUSY_KEY);
            try {
                builder.onBusyKey(BusyKeyPolicy.valueOf(value.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + ON_BUSY_KEY + " " + value + ": give fail, compare or replace");
            }
        }
        return builder.build();
    }

    private static void ifGiven(CommandLine line, String option, long min, long max, LongConsumer set) {
        if (line.hasOption(option)) {
            set.accept(number(line, option, min, max));
        }
    }

    /**
     * The value of {@code option}, which was given, as a whole number from {@code min} to {@code max}.
     *
     * @throws UsageException naming the option and its value if it is not one
     */
    static long number(CommandLine line, String option, long min, long max) {
        String value = line.getOptionValue(option);
        return number("--" + option + " " + value, value, min, max);
    }

    private static long number(String given, String value, long min, long max) {
        // Long.parseLong also takes the digits of other scripts; numbers are written as in SLOTS and in scripts.
        if (DIGITS.matcher(value.strip()).matches()) {
            try {
                long n = Long.parseLong(value.strip());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // too large for a long: named below, with the range
            }
        }
        throw new UsageException(given + ": give a whole number " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                ? "of " + min + " or more" : "from " + min + " to " + max));
    }

    /**
     * The value of an option the command cannot do without.
     *
     * @throws UsageException naming the option if it was not given or is blank
     */
    static String required(CommandLine line, String option, String argName, String command) {
        String value = line.getOptionValue(option);
        if (value == null) {
            throw new UsageException(command + " needs --" + option + " " + argName + "; see 'reslot " + command
                    + " --help'");
        }
        if (value.isBlank()) {
            throw new UsageException("--" + option + " is blank; give " + argName);
        }
        return value;
    }

    /**
     * The lock lease from {@link #LOCK_LEASE_ENV}, else {@link Jobs#DEFAULT_LOCK_LEASE}.
     *
     * @throws UsageException naming the variable if its value is not a number of milliseconds of at least
     *     {@link Jobs#MIN_LOCK_LEASE}
     */
    static Duration lockLease(Map<String, String> env) {
        String value = env.get(LOCK_LEASE_ENV);
        if (value == null || value.isBlank()) {
            return Jobs.DEFAULT_LOCK_LEASE;
        }
        return Duration.ofMillis(number(LOCK_LEASE_ENV + "=" + value, value, Jobs.MIN_LOCK_LEASE.toMillis(),
                Long.MAX_VALUE));
    }

    /**
     * Connects, lets {@code prepare} make the move of {@code command} (the name its progress bar shows), prints its plan, and unless it is empty or {@code --dry-run} was
     * given, asks for confirmation (see {@link #confirmed}), runs the job with progress on stderr and Ctrl-C stopping
     * it (see {@link StopOnSignal}), and prints the outcome.
     *
     * @return {@link ExitCode#OK} when the job is done, the plan empty or the run dry;
     *     {@link ExitCode#NOT_CONFIRMED} when the user did not confirm
     * @throws UsageException as {@link Command.Invocation#accessOptions()}, or if {@link #LOCK_LEASE_ENV} is wrong
     * @throws io.reslot.migrate.MigrateException from {@code prepare} or the job, for {@code Main} to report
     * @throws IOException when a stream fails
     */
    static int run(Command.Invocation invocation, String command, Function<ClusterAccess, Move> prepare)
            throws IOException {
        boolean dryRun = invocation.line().hasOption(DRY_RUN);
        Duration lease = lockLease(invocation.env());
        Io io = invocation.io();
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            Move move = prepare.apply(access);
            Plan plan = move.plan();
            if (!invocation.json()) {
                io.print(plan.table());
                io.out().flush(); // the plan must be on screen before the question
            }
            if (plan.isEmpty() || dryRun) {
                if (!plan.isEmpty() && !invocation.json()) {
                    io.err().println("reslot: --dry-run: nothing was changed");
                }
                if (invocation.json()) {
                    Json.print(io, new Report(move.job(), plan, dryRun, null));
                }
                return ExitCode.OK;
            }
            if (!invocation.json() && !invocation.globals().yes()
                    && !confirmed(io, "Move " + plan.slotCount() + " slots? [y/N] ")) {
                io.err().println("reslot: not confirmed; nothing was changed");
                return ExitCode.NOT_CONFIRMED;
            }
            JobOutcome outcome;
            try (Progress.Moving progress = Progress.forInvocation(invocation).moves(command)) {
                outcome = StopOnSignal.run(() -> move.start().start(progress, lease));
            }
            if (invocation.json()) {
                Json.print(io, new Report(outcome.jobId(), plan, false, outcome));
            } else {
                io.print(summary(plan.slotCount(), outcome));
                for (String warning : outcome.warnings()) {
                    io.err().println("reslot: warning: " + warning);
                }
            }
            return ExitCode.OK;
        }
    }

    /**
     * Asks {@code question} on stderr and reads one line of stdin.
     *
     * @return whether the answer is {@code y} or {@code yes} (any case, blanks around it ignored); false at the end of
     *     stdin, so that a run without a terminal and without {@code --yes} changes nothing instead of waiting
     */
    static boolean confirmed(Io io, String question) throws IOException {
        io.err().print(question);
        io.err().flush();
        LineReader lines = new LineReader(io.in());
        if (!lines.next()) {
            io.err().println(); // nobody typed a line end; the next message needs its own line
            return false;
        }
        String answer = new String(lines.buffer(), lines.start(), lines.length(), StandardCharsets.UTF_8)
                .strip().toLowerCase(Locale.ROOT);
        return answer.equals("y") || answer.equals("yes");
    }

    /** {@code moved 5461 slots (123456 keys, 12.3 MB) in 4.2 s; job 1a2b3c4d done}, with a newline. */
    static String summary(int slotsMoved, JobOutcome outcome) {
        return String.format(Locale.ROOT, "moved %d slot%s (%d key%s, %s) in %.1f s; job %s done%n", slotsMoved,
                slotsMoved == 1 ? "" : "s", outcome.keys(), outcome.keys() == 1 ? "" : "s", bytes(outcome.bytes()),
                outcome.elapsedMillis() / 1000.0, outcome.jobId());
    }

    /** {@code 950 B}, {@code 12.3 kB}, {@code 4.0 MB}, {@code 1.2 GB}: decimal units, as estimated sizes deserve. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = n;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
