package io.reslot.cli;

import java.io.IOException;
import java.io.PrintStream;

import io.reslot.migrate.ClusterAccess;
import io.reslot.versioning.Callback;
import io.reslot.versioning.MigratePlan;
import io.reslot.versioning.MigrateResult;
import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.MigrationState;
import io.reslot.versioning.RedisVersioning;
import io.reslot.versioning.Step;
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
    public String description() {
        return """
                Applies the pending migrations in version order, up to --target, under
                the cluster's lock. The history is read and validated once the lock is
                held: an applied script that changed stops the run with exit 3 before
                anything is changed (see validate and repair). A migration that failed,
                or whose run died, is continued from the last step it finished. A
                migration older than the newest applied one is applied only with
                --out-of-order. Example:
                  reslot migrate --location examples/migrations --dry-run

                Without --yes or --json, reslot first prints every step's plan (slots to
                move, keys to retag) and asks "Apply N migrations? [y/N]"; --dry-run
                prints it and changes nothing. A line on stderr tells each migration and
                step as it starts. --json prints {"plan":{...},"dryRun":..,"result":{...}}.

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
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RedisVersioning versioning = Migrations.configure(invocation, access)
                    .target(invocation.line().getOptionValue(TARGET))
                    .outOfOrder(invocation.line().hasOption(OUT_OF_ORDER))
                    .callbacks(progress(invocation)).load();
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

    /** A line on stderr as each migration and step starts; none with {@code -q} or {@code --json}. */
    static Callback progress(Invocation invocation) {
        if (invocation.quiet() || invocation.json()) {
            return new Callback() { };
        }
        PrintStream err = invocation.io().err();
        return new Callback() {
            @Override
            public void beforeEachMigrate(MigrationInfo migration) {
                err.println("reslot: " + name(migration) + (migration.state() == MigrationState.PENDING ? ""
                        : ": continuing after " + migration.stepsDone() + " steps done"));
            }

            @Override
            public void beforeEachStep(MigrationInfo migration, int index, Step step) {
                err.println("reslot: V" + migration.version() + " step " + index + ": " + step.name());
            }
        };
    }
}
