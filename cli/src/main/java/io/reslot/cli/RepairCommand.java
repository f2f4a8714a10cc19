package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.reslot.migrate.ClusterAccess;
import io.reslot.versioning.RedisVersioning;
import io.reslot.versioning.RepairResult;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot repair --location DIR [--dry-run]}: drops failed entries and realigns checksums, after saying what. */
final class RepairCommand implements Command {

    @Override
    public String name() {
        return "repair";
    }

    @Override
    public String synopsis() {
        return "--location DIR [--dry-run]";
    }

    @Override
    public String summary() {
        return "drop failed migrations from the history and realign checksums";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot repair --location examples/migrations --dry-run",
                "reslot repair --location examples/migrations --yes");
    }

    @Override
    public String description() {
        return """
                Removes the failed entries from the history (migrate then applies those
                migrations anew instead of continuing them) and sets the checksum and
                description of every applied migration to those of its script, so that
                a script edited on purpose validates again. Prints what it will do and
                asks "Repair the history? [y/N]" first, unless --yes or --json; --dry-run
                prints it and changes nothing. --json prints {"removed":[...],
                "realigned":[...],"actions":[...],"dryRun":false}.

                """ + Migrations.HELP + """

                Exit codes: 0 done (or a dry run), 1 not confirmed, 2 a bad script or
                location, 4 another run holds the lock.
                """;
    }

    @Override
    public Options options() {
        return Migrations.addTo(new Options()).addOption(Option.builder().longOpt(Moves.DRY_RUN)
                .desc("print what repair would do and change nothing").get());
    }

    /**
     * The one document of {@code --json}: the result's fields and {@code dryRun}.
     *
     * @param result what was done, or with {@code --dry-run} what would be
     * @param dryRun whether {@code --dry-run} was given
     */
    record Report(@JsonUnwrapped RepairResult result, boolean dryRun) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        boolean dryRun = invocation.line().hasOption(Moves.DRY_RUN);
        Io io = invocation.io();
        Migrations.check(invocation); // a bad location or script: exit 2 before connecting
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            RedisVersioning versioning = Migrations.configure(invocation, access).load();
            if (dryRun || (!invocation.json() && !invocation.globals().yes())) {
                RepairResult preview = versioning.repairPreview();
                if (invocation.json()) {
                    Json.print(io, new Report(preview, true)); // only a dry run gets here with --json
                    return ExitCode.OK;
                }
                if (preview.isEmpty()) {
                    io.print("nothing to repair\n");
                    return ExitCode.OK;
                }
                io.print(Migrations.indented(preview.actions()));
                io.out().flush();
                if (dryRun) {
                    io.err().println("reslot: --dry-run: nothing was changed");
                    return ExitCode.OK;
                }
                if (!Moves.confirmed(io, "Repair the history? [y/N] ")) {
                    io.err().println("reslot: not confirmed; nothing was changed");
                    return ExitCode.NOT_CONFIRMED;
                }
            }
            RepairResult result = versioning.repair();
            invocation.printReport(new Report(result, false), result.isEmpty() ? "nothing to repair\n"
                    : "done:\n" + Migrations.indented(result.actions()));
            return ExitCode.OK;
        }
    }
}
