package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.versioning.MigrationInfo;
import org.apache.commons.cli.Options;

/** {@code reslot info --location DIR}: every migration and its state. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String synopsis() {
        return "--location DIR";
    }

    @Override
    public String summary() {
        return "every versioned migration and its state";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot info --location examples/migrations");
    }

    @Override
    public String description() {
        return """
                Lists every migration found or applied, by version, with its state:
                pending, above target, ignored (older than the newest applied and never
                applied), below baseline, baseline, success, out of order, failed,
                running, missing (applied, no script any more), future (applied, newer
                than every script). Changes nothing.
                --json prints {"migrations":[...]}.

                """ + Migrations.HELP + """

                Exit codes: 0 done, 2 a bad script or location.
                """;
    }

    @Override
    public Options options() {
        return Migrations.addTo(new Options());
    }

    record Report(List<MigrationInfo> migrations) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        Migrations.check(invocation); // a bad location or script: exit 2 before connecting
        List<MigrationInfo> infos = invocation.onCluster(access -> Migrations.configure(invocation, access).load()
                .info());
        invocation.printReport(new Report(infos), Migrations.table(infos));
        return ExitCode.OK;
    }
}
