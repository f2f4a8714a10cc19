package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.versioning.ValidateResult;
import org.apache.commons.cli.Options;

/** {@code reslot validate --location DIR}: exit 0 when the applied migrations match the scripts, 3 otherwise. */
final class ValidateCommand implements Command {

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String synopsis() {
        return "--location DIR";
    }

    @Override
    public String summary() {
        return "check that the applied migrations match the scripts";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot validate --location examples/migrations");
    }

    @Override
    public String description() {
        return """
                Compares the history in the cluster with the scripts: an applied
                migration whose script changed (both checksums are printed), one whose
                script is gone, and one never applied that is older than the newest
                applied are problems. Changes nothing.
                --json prints {"valid":true|false,"problems":[...]}.

                """ + Migrations.HELP + """

                Exit codes: 0 valid, 2 a bad script or location, 3 problems found.
                """;
    }

    @Override
    public Options options() {
        return Migrations.addTo(new Options());
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        Migrations.check(invocation); // a bad location or script: exit 2 before connecting
        ValidateResult result = invocation.onCluster(access -> Migrations.configure(invocation, access).load()
                .validate());
        invocation.printReport(result, (result.valid() ? "valid: the applied migrations match the scripts\n"
                : result.problems().size() + " problems:\n") + Migrations.indented(result.problems()));
        return result.valid() ? ExitCode.OK : ExitCode.PROBLEMS;
    }
}
