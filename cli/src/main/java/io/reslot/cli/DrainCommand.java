package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Planner;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot drain --node NODE}: moves every slot off one master. */
final class DrainCommand implements Command {

    private static final String NODE = "node";

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String synopsis() {
        return "--node NODE";
    }

    @Override
    public String summary() {
        return "move every slot off a master";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot drain --node 10.0.0.3:7000 --yes");
    }

    @Override
    public String description() {
        return """
                Moves every slot off the master NODE (a node id, a unique prefix of one, or
                HOST:PORT), to the other masters that serve slots, emptiest first, so that
                they end up within one slot of each other. Afterwards NODE serves nothing
                and can be removed from the cluster.
                """ + Moves.HELP;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options()
                .addOption(Option.builder().longOpt(NODE).hasArg().argName("NODE")
                        .desc("the master to empty").get()));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        String node = Moves.required(invocation.line(), NODE, "NODE", name());
        MoverOptions options = Moves.moverOptions(invocation.line(), MoverOptions.defaults());
        return Moves.run(invocation, name(), access ->
                Moves.newJob(access, Planner.drain(access.topology(), node), options));
    }
}
