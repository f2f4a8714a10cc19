package io.reslot.cli;

import java.io.IOException;
import java.util.List;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.ClusterFix;
import io.reslot.migrate.FixOutcome;
import io.reslot.migrate.FixPlan;
import io.reslot.migrate.MoverOptions;
import org.apache.commons.cli.Options;

/**
 * {@code reslot fix [--dry-run]}: repairs what {@code check} finds, after showing what it will do. Exit code 0 when
 * the cluster is healthy afterwards (or on a dry run), 1 when problems are left.
 */
final class FixCommand implements Command {

    @Override
    public String name() {
        return "fix";
    }

    @Override
    public String synopsis() {
        return "[--dry-run]";
    }

    @Override
    public String summary() {
        return "repair open slots, stray keys, uncovered or doubly owned slots";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot fix --dry-run                # what fix would do",
                "reslot fix --yes");
    }

    @Override
    public String description() {
        return """
                Repairs what 'reslot check' finds, without losing a key:
                  finish-move   a slot open on both sides, or on one side whose other side
                                holds most of its keys: its keys move on and the slot is
                                handed over, as reshard does;
                  return-keys   keys a master holds in a slot it does not serve move to
                                the slot's owner (keys on both are compared as with
                                --on-busy-key);
                  close-slot    a slot left open with nothing to move is closed;
                  assign-slots  uncovered slots go to the master holding their keys, else
                                to the master serving fewest slots;
                  settle-owner  of several masters claiming a slot, the one holding most of
                                its keys keeps it and the others' keys move to it.
                Problems with a node that is down or failing are not fixed: they are named,
                with what to do. After the repairs fix checks again and repeats, up to three
                rounds, since one repair can reveal the next.

                The actions are printed first. --dry-run stops there and changes nothing.
                Otherwise reslot asks "Apply N actions? [y/N]" on stderr and reads the answer
                from stdin, unless --yes or --json is given. Repairs run under the cluster's
                lock. The mover options shape the moves of finish-move and return-keys.

                Prints what it did and the check made afterwards. --json prints one document:
                {"plan":{"actions":[{"kind":"FINISH_MOVE","slots":"100","from":{...},
                "to":{...},"description":"..."}],"unfixable":[...]},"dryRun":false,
                "outcome":{"done":[...],"after":{...check...}}}.

                Exit codes: 0 healthy afterwards (or a dry run), 1 problems left, failed or
                not confirmed, 4 another run holds the lock, 130 interrupted.
                """;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options());
    }

    /**
     * The one document of {@code --json}.
     *
     * @param plan the actions found first
     * @param dryRun whether {@code --dry-run} was given
     * @param outcome what was done and the check afterwards; {@code null} when nothing ran
     */
    record Report(FixPlan plan, boolean dryRun, FixOutcome outcome) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        boolean dryRun = invocation.line().hasOption(Moves.DRY_RUN);
        MoverOptions options = Moves.moverOptions(invocation.line(), MoverOptions.defaults());
        Io io = invocation.io();
        try (ClusterAccess access = ClusterAccess.connect(invocation.accessOptions())) {
            FixPlan plan = ClusterFix.plan(access);
            if (!invocation.json()) {
                io.print(plan.table());
                io.out().flush(); // the plan must be on screen before the question
            }
            if (plan.isEmpty() || dryRun) {
                if (invocation.json()) {
                    Json.print(io, new Report(plan, dryRun, null));
                } else if (dryRun && !plan.isEmpty()) {
                    io.err().println("reslot: --dry-run: nothing was changed");
                }
                // nothing to do: healthy, unless problems were found that fix leaves to a person
                return dryRun || plan.unfixable().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
            }
            int count = plan.actions().size();
            if (!invocation.json() && !invocation.globals().yes()
                    && !Moves.confirmed(io, "Apply " + count + " action" + (count == 1 ? "" : "s") + "? [y/N] ")) {
                io.err().println("reslot: not confirmed; nothing was changed");
                return ExitCode.NOT_CONFIRMED;
            }
            FixOutcome outcome;
            try (Progress.Moving progress = Progress.forInvocation(invocation).moves(name())) {
                outcome = StopOnSignal.run(() -> ClusterFix.fix(access, options, progress));
            }
            if (invocation.json()) {
                Json.print(io, new Report(plan, false, outcome));
            } else {
                for (FixPlan.Action action : outcome.done()) {
                    io.print("done: " + action.description() + "\n");
                }
                io.print(outcome.after().table());
            }
            if (!outcome.after().isHealthy()) {
                if (!invocation.json()) {
                    io.err().println("reslot: the cluster still has problems (above); see 'reslot fix --dry-run'"
                            + " for what fix can and cannot do about them");
                }
                return ExitCode.FAILED;
            }
            return ExitCode.OK;
        }
    }
}
