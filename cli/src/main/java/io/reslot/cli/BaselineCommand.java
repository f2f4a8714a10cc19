package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.reslot.migrate.ClusterAccess;
import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.MigrationVersion;
import io.reslot.versioning.RedisVersioning;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot baseline --location DIR --version V [--dry-run]}: marks the cluster as being at version V. */
final class BaselineCommand implements Command {

    private static final String VERSION = GlobalOptions.VERSION;

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String synopsis() {
        return "--location DIR --version V [--dry-run]";
    }

    @Override
    public String summary() {
        return "mark an existing cluster as being at a migration version";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot baseline --location examples/migrations --version 1 --dry-run",
                "reslot baseline --location examples/migrations --version 1 --yes");
    }

    @Override
    public String description() {
        return """
                Records a baseline entry at version V in an empty history: migrations up
                to V are never applied, later ones are. For a cluster whose layout was
                made before its migrations were kept as scripts.

                Without --yes or --json, reslot first prints what the baseline means for
                each migration found (never applied, or applied by the next migrate) and
                asks "Record a baseline at version V? [y/N]"; --dry-run prints it and
                changes nothing. --json prints the baseline entry, {"version":"1",
                "state":"BASELINE",...,"dryRun":false}, or with --dry-run {"dryRun":true,
                "version":"1","migrations":[...]}.

                """ + Migrations.HELP + """

                Exit codes: 0 done (or a dry run), 1 not confirmed, 2 a bad version or a
                history that is not empty, 4 another run holds the lock.
                """;
    }

    @Override
    public Options options() {
        // Before the command name --version prints reslot's version; after it, it is the baseline's (GlobalOptions).
        return Migrations.addTo(new Options()).addOption(Option.builder().longOpt(VERSION).hasArg().argName("V")
                .desc("the version the cluster is at").get())
                .addOption(Option.builder().longOpt(Moves.DRY_RUN)
                        .desc("print what the baseline would mean for each migration and change nothing").get());
    }

    /**
     * The one document of {@code --json}.
     *
     * @param baseline the entry recorded; {@code null} with {@code --dry-run} (its fields are those of the document)
     * @param dryRun whether {@code --dry-run} was given
     * @param version the version given
     * @param migrations with {@code --dry-run}, every migration found, as it is now; {@code null} otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(@JsonUnwrapped MigrationInfo baseline, boolean dryRun, String version,
            List<MigrationInfo> migrations) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        String version = invocation.line().getOptionValue(VERSION);
        if (version == null) {
            throw new UsageException("give --version V, the version the cluster is at");
        }
        MigrationVersion parsed;
        try {
            parsed = MigrationVersion.parse(version); // bad input is told before connecting
        } catch (IllegalArgumentException e) {
            throw new UsageException("--version " + version + ": " + e.getMessage());
        }
        boolean dryRun = invocation.line().hasOption(Moves.DRY_RUN);
        Io io = invocation.io();
        Migrations.check(invocation); // a bad location or script: exit 2 before connecting
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RedisVersioning versioning = Migrations.configure(invocation, access).load();
            if (dryRun || (!invocation.json() && !invocation.globals().yes())) {
                List<MigrationInfo> infos = versioning.info();
                long applied = infos.stream().filter(i -> i.installedOn() != null).count();
                if (applied > 0) {
                    throw new UsageException("cannot baseline: the history already has " + applied + " entries; a "
                            + "baseline is only for a cluster that versioning has not touched. Nothing was changed; "
                            + "see 'reslot info'");
                }
                if (invocation.json()) {
                    Json.print(io, new Report(null, true, version, infos)); // only a dry run gets here with --json
                    return ExitCode.OK;
                }
                io.print(preview(parsed, infos));
                io.out().flush();
                if (dryRun) {
                    io.err().println("reslot: --dry-run: nothing was changed");
                    return ExitCode.OK;
                }
                if (!Moves.confirmed(io, "Record a baseline at version " + version + "? [y/N] ")) {
                    io.err().println("reslot: not confirmed; nothing was changed");
                    return ExitCode.NOT_CONFIRMED;
                }
            }
            MigrationInfo baseline = versioning.baseline(version);
            invocation.printReport(new Report(baseline, false, null, null),
                    "baseline at version " + baseline.version() + "\n");
            return ExitCode.OK;
        }
    }

    /** What the baseline would mean for each migration found. */
    private static String preview(MigrationVersion version, List<MigrationInfo> infos) {
        StringBuilder out = new StringBuilder("a baseline at version " + version + " (the history is empty):\n");
        for (MigrationInfo info : infos) {
            out.append("  V").append(info.version()).append(info.description().isEmpty() ? "" : " "
                    + info.description()).append(info.version().compareTo(version) <= 0
                    ? ": never applied (below the baseline)" : ": applied by the next migrate").append('\n');
        }
        if (infos.isEmpty()) {
            out.append("  no migration found at the location\n");
        }
        return out.toString();
    }
}
