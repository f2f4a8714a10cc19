package io.reslot.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Planner;
import io.reslot.slot.KeySlot;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot reshard --to NODE --slots N [--from NODE,...|all]}: moves N slots to one master. */
final class ReshardCommand implements Command {

    private static final String TO = "to";
    private static final String SLOTS = "slots";
    private static final String FROM = "from";
    private static final String ALL = "all";

    @Override
    public String name() {
        return "reshard";
    }

    @Override
    public String synopsis() {
        return "--to NODE --slots N [--from NODE,...|all]";
    }

    @Override
    public String summary() {
        return "move N slots to a master";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot reshard --to 10.0.0.4:7000 --slots 1000 --dry-run",
                "reslot reshard --to 10.0.0.4:7000 --slots 1000 --from 10.0.0.1:7000 --yes");
    }

    @Override
    public String description() {
        return """
                Moves N slots to the master NODE (a node id, a unique prefix of one, or
                HOST:PORT) from the masters given with --from, or from every other master
                that serves slots (--from all, the default). Each source gives in
                proportion to the slots it serves, its lowest-numbered slots first, as
                redis-cli does.
                """ + Moves.HELP;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options()
                .addOption(Option.builder().longOpt(TO).hasArg().argName("NODE")
                        .desc("the master that receives the slots").get())
                .addOption(Option.builder().longOpt(SLOTS).hasArg().argName("N")
                        .desc("how many slots to move, 1 to " + KeySlot.SLOT_COUNT).get())
                .addOption(Option.builder().longOpt(FROM).hasArg().argName("NODE,...|all")
                        .desc("the masters that give, comma-separated; default all: every other master").get()));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        CommandLine line = invocation.line();
        String to = Moves.required(line, TO, "NODE", name());
        Moves.required(line, SLOTS, "N", name());
        int slots = (int) Moves.number(line, SLOTS, 1, KeySlot.SLOT_COUNT);
        List<String> from = from(line);
        MoverOptions options = Moves.moverOptions(line, MoverOptions.defaults());
        return Moves.run(invocation, name(), access ->
                Moves.newJob(access, Planner.reshard(access.topology(), to, slots, from), options));
    }

    /** The sources; empty for all. */
    private static List<String> from(CommandLine line) {
        String value = line.getOptionValue(FROM);
        if (value == null || value.strip().equals(ALL)) {
            return List.of();
        }
        List<String> nodes = new ArrayList<>();
        for (String node : value.split(",", -1)) {
            if (node.isBlank() || node.strip().equals(ALL)) {
                throw new UsageException("--" + FROM + " " + value + ": give NODE,... without empty items, or all alone");
            }
            nodes.add(node.strip());
        }
        return nodes;
    }
}
