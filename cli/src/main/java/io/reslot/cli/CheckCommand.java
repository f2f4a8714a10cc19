package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.migrate.CheckReport;
import io.reslot.migrate.ClusterCheck;
import org.apache.commons.cli.Options;

/** {@code reslot check}: the health report; exit code 0 when healthy, 3 when it found problems. */
final class CheckCommand implements Command {

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "check the cluster's health; exit code 3 when there are problems";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot -c 10.0.0.1:7000 check",
                "reslot check -q || reslot fix --dry-run");
    }

    @Override
    public String description() {
        return """
                Checks that the nodes' views of the cluster agree, that every node answers
                and none is flagged failing or incomplete, that every slot is served, that
                no slot is left open (MIGRATING/IMPORTING; both sides and their key counts
                are shown), and that no master holds keys in a slot it does not serve
                (CLUSTER COUNTKEYSINSLOT for each such slot). Changes nothing; 'reslot fix'
                acts on what it reports.

                Prints a summary line, then one row per problem. -q prints nothing when the
                cluster is healthy. --json prints one document instead: {"nodes":N,
                "masters":N,"answered":N,"problems":[{"kind":"OPEN_SLOT","slots":"100",
                "nodes":[...],"openSlot":{...},"message":"..."}],"healthy":false}.

                Exit code 0 when healthy, 3 when there are problems, 1 when the cluster
                cannot be reached.
                """;
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        CheckReport report = invocation.onCluster(ClusterCheck::check);
        if (invocation.json() || !(invocation.quiet() && report.isHealthy())) {
            invocation.printReport(report, report.table());
        }
        return report.isHealthy() ? ExitCode.OK : ExitCode.PROBLEMS;
    }
}
