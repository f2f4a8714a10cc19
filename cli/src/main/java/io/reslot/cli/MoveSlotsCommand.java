package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Planner;
import io.reslot.slot.SlotSet;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot move-slots --slots SLOTS --to NODE}: moves exactly these slots to one master. */
final class MoveSlotsCommand implements Command {

    private static final String SLOTS = "slots";
    private static final String TO = "to";

    @Override
    public String name() {
        return "move-slots";
    }

    @Override
    public String synopsis() {
        return "--slots SLOTS --to NODE";
    }

    @Override
    public String summary() {
        return "move exactly these slots to a master";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot move-slots --slots 0-99,200 --to 10.0.0.4:7000");
    }

    @Override
    public String description() {
        return """
                Moves the slots SLOTS (e.g. 0-999,2000,3000-3100) to the master NODE (a node
                id, a unique prefix of one, or HOST:PORT), each from the master serving it.
                Slots NODE already serves are left out; every slot must be served by some
                master ('reslot fix' covers the others).
                """ + Moves.HELP;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options()
                .addOption(Option.builder().longOpt(SLOTS).hasArg().argName("SLOTS")
                        .desc("the slots to move, e.g. 0-999,2000").get())
                .addOption(Option.builder().longOpt(TO).hasArg().argName("NODE")
                        .desc("the master that receives them").get()));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        CommandLine line = invocation.line();
        String text = Moves.required(line, SLOTS, "SLOTS", name());
        String to = Moves.required(line, TO, "NODE", name());
        SlotSet slots;
        try {
            slots = SlotSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + SLOTS + " " + text + ": " + e.getMessage());
        }
        MoverOptions options = Moves.moverOptions(line, MoverOptions.defaults());
        return Moves.run(invocation, name(), access ->
                Moves.newJob(access, Planner.moveSlots(access.topology(), slots, to), options));
    }
}
