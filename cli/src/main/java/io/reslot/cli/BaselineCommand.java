package io.reslot.cli;

import java.io.IOException;

import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.MigrationVersion;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot baseline --location DIR --version V}: marks the cluster as being at version V. */
final class BaselineCommand implements Command {

    private static final String VERSION = GlobalOptions.VERSION;

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String synopsis() {
        return "--location DIR --version V";
    }

    @Override
    public String summary() {
        return "mark an existing cluster as being at a migration version";
    }

    @Override
    public String description() {
        return """
                Records a baseline entry at version V in an empty history: migrations up
                to V are never applied, later ones are. For a cluster whose layout was
                made before its migrations were kept as scripts. Example:
                  reslot baseline --location examples/migrations --version 1

                """ + Migrations.HELP + """

                Exit codes: 0 done, 2 a bad version or a history that is not empty,
                4 another run holds the lock.
                """;
    }

    @Override
    public Options options() {
        // Before the command name --version prints reslot's version; after it, it is the baseline's (GlobalOptions).
        return Migrations.addTo(new Options()).addOption(Option.builder().longOpt(VERSION).hasArg().argName("V")
                .desc("the version the cluster is at").get());
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        String version = invocation.line().getOptionValue(VERSION);
        if (version == null) {
            throw new UsageException("give --version V, the version the cluster is at");
        }
        try {
            MigrationVersion.parse(version); // bad input is told before connecting
        } catch (IllegalArgumentException e) {
            throw new UsageException("--version " + version + ": " + e.getMessage());
        }
        MigrationInfo baseline = invocation.onCluster(access -> Migrations.configure(invocation, access).load()
                .baseline(version));
        invocation.printReport(baseline, "baseline at version " + baseline.version() + "\n");
        return ExitCode.OK;
    }
}
