package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.migrate.ClusterCheck;
import io.reslot.migrate.NodesReport;
import org.apache.commons.cli.Options;

/** {@code reslot nodes}: every node of the cluster with its role, master, slots, key count and open slots. */
final class NodesCommand implements Command {

    @Override
    public String name() {
        return "nodes";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String summary() {
        return "list the nodes: role, master, slots, key count, open slots";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot -c 10.0.0.1:7000 nodes");
    }

    @Override
    public String description() {
        return """
                Lists every node the seed nodes lead to, ordered by address: the first 8
                characters of its id, address, role (with flags such as fail? or fail),
                its master's id for a replica, how many slots it serves and which (long
                lists are cut with ...), its key count (DBSIZE; ? when it does not answer)
                and its open slots (100->abcd1234 migrating to, 100<-abcd1234 importing
                from).

                --json prints one document instead: {"nodes":[...]} with full ids, flags,
                slots as "0-5460,6000", migrating and importing as {"slot":"id"}.
                """;
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        NodesReport report = invocation.onCluster(ClusterCheck::nodes);
        invocation.printReport(report, report.table());
        return ExitCode.OK;
    }
}
