package io.reslot.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.MoveEvent;
import io.reslot.rewrite.RetagCounts;
import io.reslot.versioning.Callback;
import io.reslot.versioning.MigratePlan;
import io.reslot.versioning.MigrateResult;
import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.MigrationState;
import io.reslot.versioning.RedisVersioning;
import io.reslot.versioning.Step;
import io.reslot.versioning.VersioningException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot migrate --location DIR [--target V] [--out-of-order] [--dry-run]}: applies pending migrations. */
final class MigrateCommand implements Command {

    private static final String TARGET = "target";
    private static final String OUT_OF_ORDER = "out-of-order";

    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public String synopsis() {
        return "--location DIR [--target VERSION] [--out-of-order] [--dry-run]";
    }

    @Override
    public String summary() {
        return "apply pending versioned migrations";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot migrate --location examples/migrations --dry-run",
                "reslot migrate --location examples/migrations --target 1 --yes");
    }

    @Override
    public String description() {
        return """
                Applies the pending migrations in version order, up to --target, under
                the cluster's lock. The history is read and validated once the lock is
                held: an applied script that changed stops the run with exit 3 before
                anything is changed (see validate and repair). A migration that failed,
                or whose run died, is continued from the last step it finished. A
                migration older than the newest applied one is applied only with
                --out-of-order.

                Without --yes or --json, reslot first prints every step's plan (slots to
                move, keys to retag) and asks "Apply N migrations? [y/N]"; --dry-run
                prints it and changes nothing. With --yes or --json, that plan is not
                made unless --dry-run asks for it. A line on stderr tells each migration
                and step as it starts, then the step's progress: slots of a moving step,
                keys scanned of a retag (of the masters' DBSIZE), as a bar on a terminal,
                else a line a second; JSON lines (migration, step, progress, ...) with
                --json; nothing with -q. --json prints {"plan":{...},"dryRun":..,
                "result":{...}} on stdout.

                """ + Migrations.HELP + """

                Exit codes: 0 done, 1 a migration failed (run migrate again to continue
                it) or not confirmed, 2 a bad script, location or target, 3 validation
                failed, 4 another run holds the lock, 130 interrupted.
                """;
    }

    @Override
    public Options options() {
        return Migrations.addTo(new Options())
                .addOption(Option.builder().longOpt(TARGET).hasArg().argName("VERSION")
                        .desc("the newest version to apply; default all").get())
                .addOption(Option.builder().longOpt(OUT_OF_ORDER)
                        .desc("apply migrations older than the newest applied one").get())
                .addOption(Option.builder().longOpt(Moves.DRY_RUN)
                        .desc("print every step's plan and change nothing").get());
    }

    /**
     * The one document of {@code --json}.
     *
     * @param plan what would be applied; {@code null} unless {@code --dry-run}
     * @param dryRun whether {@code --dry-run} was given
     * @param result what was applied; {@code null} with {@code --dry-run}
     */
    record Report(MigratePlan plan, boolean dryRun, MigrateResult result) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        boolean dryRun = invocation.line().hasOption(Moves.DRY_RUN);
        boolean ask = !invocation.json() && !invocation.globals().yes();
        Io io = invocation.io();
        // A bad target, location or script: exit 2 before connecting.
        RedisVersioning.configure().target(invocation.line().getOptionValue(TARGET));
        Migrations.check(invocation);
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RedisVersioning versioning = Migrations.configure(invocation, access)
                    .target(invocation.line().getOptionValue(TARGET))
                    .outOfOrder(invocation.line().hasOption(OUT_OF_ORDER))
                    .callbacks(progress(invocation, access)).load();
            MigratePlan plan = null;
            if (dryRun || ask) {
                plan = versioning.dryRun();
                if (!invocation.json()) {
                    io.print(table(plan));
                    io.out().flush();
                }
                if (dryRun || plan.migrations().isEmpty()) {
                    if (invocation.json()) {
                        Json.print(io, new Report(plan, dryRun, null));
                    } else if (dryRun) {
                        io.err().println("reslot: --dry-run: nothing was changed");
                    }
                    return ExitCode.OK;
                }
                if (!Moves.confirmed(io, "Apply " + plan.migrations().size() + " migrations? [y/N] ")) {
                    io.err().println("reslot: not confirmed; nothing was changed");
                    return ExitCode.NOT_CONFIRMED;
                }
            }
            MigrateResult result = StopOnSignal.run(versioning::migrate);
            if (invocation.json()) {
                Json.print(io, new Report(plan, false, result));
            } else {
                io.print(summary(result));
            }
            return ExitCode.OK;
        }
    }

    static String table(MigratePlan plan) {
        if (plan.migrations().isEmpty()) {
            return "up to date: no migration to apply\n";
        }
        StringBuilder out = new StringBuilder();
        for (MigratePlan.PlannedMigration m : plan.migrations()) {
            MigrationInfo info = m.migration();
            out.append(name(info)).append(info.state() == MigrationState.PENDING ? ""
                    : " (" + info.state().name().toLowerCase() + ", continued from step " + (info.stepsDone() + 1)
                            + ")").append('\n');
            if (m.steps().isEmpty()) {
                out.append("  a Java migration: its steps are known when it runs\n");
            }
            for (MigratePlan.PlannedStep step : m.steps()) {
                out.append("  step ").append(step.index()).append(": ").append(step.name())
                        .append(step.note() == null ? "" : " (" + step.note() + ")").append('\n');
                String table = step.slots() != null ? step.slots().table() : step.keys() != null
                        ? step.keys().table() : "";
                table.lines().forEach(line -> out.append("    ").append(line).append('\n'));
            }
        }
        return out.toString();
    }

    private static String summary(MigrateResult result) {
        if (result.migrations().isEmpty()) {
            return "up to date at version " + (result.currentVersion() == null ? "none" : result.currentVersion())
                    + "; nothing was applied\n";
        }
        StringBuilder out = new StringBuilder();
        for (MigrateResult.Applied a : result.migrations()) {
            out.append("applied V").append(a.version()).append(a.description().isEmpty() ? "" : " (" + a.description()
                    + ")").append(a.resumed() ? ", continued after " + a.stepsSkipped() + " steps done before" : "")
                    .append(" in ").append(a.executionMillis()).append(" ms\n");
        }
        return out.append("now at version ").append(result.currentVersion()).append('\n').toString();
    }

    private static String name(MigrationInfo info) {
        return "V" + info.version() + (info.description().isEmpty() ? "" : " " + info.description());
    }

    /** {@code --json}: a migration starts or continues. */
    record MigrationStarted(String event, String version, String description, String state, int stepsDone) {
    }

    /** {@code --json}: a step starts. */
    record StepStarted(String event, String version, int step, String name) {
    }

    /**
     * A line (or JSON line) on stderr as each migration and step starts, and each step's progress: slots of a moving
     * step, keys scanned of a retag (of the masters' {@code DBSIZE}). Nothing with {@code -q}.
     */
    static Callback progress(Invocation invocation, ClusterAccess access) {
        Progress progress = Progress.forInvocation(invocation);
        if (progress.mode() == Progress.Mode.NONE) {
            return new Callback() { };
        }
        return new Callback() {

            private volatile Progress.Task current;

            @Override
            public void beforeEachMigrate(MigrationInfo migration) {
                progress.note(name(migration) + (migration.state() == MigrationState.PENDING ? ""
                        : ": continuing after " + migration.stepsDone() + " steps done"), new MigrationStarted(
                        "migration", migration.version().toString(), migration.description(),
                        migration.state().name().toLowerCase(Locale.ROOT), migration.stepsDone()));
            }

            @Override
            public void beforeEachStep(MigrationInfo migration, int index, Step step) {
                progress.note("V" + migration.version() + " step " + index + ": " + step.name(),
                        new StepStarted("step", migration.version().toString(), index, step.name()));
                String label = "V" + migration.version() + " step " + index;
                current = step instanceof Step.Retag ? progress.retag(label, RetagCommand.keyCount(access))
                        : progress.moves(label);
            }

            @Override
            public void afterEachStep(MigrationInfo migration, int index, Step step) {
                end();
            }

            @Override
            public void onError(MigrationInfo migration, VersioningException error) {
                end();
            }

            @Override
            public void onMove(MoveEvent event) {
                if (current instanceof Progress.Moving moving) {
                    moving.on(event);
                }
            }

            @Override
            public void onRetag(RetagCounts counts) {
                if (current instanceof Progress.Retagging retagging) {
                    retagging.progress(counts);
                }
            }

            private void end() {
                Progress.Task task = current;
                current = null;
                if (task != null) {
                    task.close();
                }
            }
        };
    }
}
