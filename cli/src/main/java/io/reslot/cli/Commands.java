package io.reslot.cli;

import java.util.List;
import java.util.Optional;

/** The registry of commands, in the order {@code reslot --help} lists them. */
final class Commands {

    /** Every command; a new command is one class and one line here. */
    static final List<Command> ALL = List.of(
            new SlotCommand(),
            new NodesCommand(),
            new CheckCommand(),
            new FixCommand(),
            new ReshardCommand(),
            new MoveSlotsCommand(),
            new RebalanceCommand(),
            new DrainCommand(),
            new ResumeCommand(),
            new RetagCommand(),
            new MigrateCommand(),
            new InfoCommand(),
            new ValidateCommand(),
            new BaselineCommand(),
            new RepairCommand(),
            new SandboxCommand(),
            new DemoCommand());

    private Commands() {
    }

    /** Returns the command called {@code name}, if there is one. */
    static Optional<Command> named(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
