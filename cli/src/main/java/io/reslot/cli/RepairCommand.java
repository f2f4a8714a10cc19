package io.reslot.cli;

import java.io.IOException;

import io.reslot.migrate.ClusterAccess;
import io.reslot.versioning.RedisVersioning;
import io.reslot.versioning.RepairResult;
import org.apache.commons.cli.Options;

/** {@code reslot repair --location DIR}: drops failed entries and realigns checksums, after saying what. */
final class RepairCommand implements Command {

    @Override
    public String name() {
        return "repair";
    }

    @Override
    public String synopsis() {
        return "--location DIR";
    }

    @Override
    public String summary() {
        return "drop failed migrations from the history and realign checksums";
    }

    @Override
    public String description() {
        return """
                Removes the failed entries from the history (migrate then applies those
                migrations anew instead of continuing them) and sets the checksum and
                description of every applied migration to those of its script, so that
                a script edited on purpose validates again. Prints what it will do and
                asks first, unless --yes or --json. Example:
                  reslot repair --location examples/migrations
                --json prints {"removed":[...],"realigned":[...],"actions":[...]}.

                """ + Migrations.HELP + """

                Exit codes: 0 done, 1 not confirmed, 2 a bad script or location, 4 another
                run holds the lock.
                """;
    }

    @Override
    public Options options() {
        return Migrations.addTo(new Options());
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        Io io = invocation.io();
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RedisVersioning versioning = Migrations.configure(invocation, access).load();
            if (!invocation.json() && !invocation.globals().yes()) {
                RepairResult preview = versioning.repairPreview();
                if (preview.isEmpty()) {
                    io.print("nothing to repair\n");
                    return ExitCode.OK;
                }
                io.print(Migrations.indented(preview.actions()));
                io.out().flush();
                if (!Moves.confirmed(io, "Repair the history? [y/N] ")) {
                    io.err().println("reslot: not confirmed; nothing was changed");
                    return ExitCode.NOT_CONFIRMED;
                }
            }
            RepairResult result = versioning.repair();
            invocation.printReport(result, result.isEmpty() ? "nothing to repair\n"
                    : "done:\n" + Migrations.indented(result.actions()));
            return ExitCode.OK;
        }
    }
}
