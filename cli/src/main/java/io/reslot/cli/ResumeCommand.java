package io.reslot.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Plan;
import io.reslot.migrate.Topology;
import io.reslot.slot.SlotSet;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot resume [--job ID]}: finishes a job that stopped or whose run crashed. */
final class ResumeCommand implements Command {

    private static final String JOB = "job";

    @Override
    public String name() {
        return "resume";
    }

    @Override
    public String synopsis() {
        return "[--job ID]";
    }

    @Override
    public String summary() {
        return "finish an interrupted reshard, move-slots, rebalance or drain";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot resume                       # the newest unfinished job",
                "reslot resume --job 1a2b3c4d --rate 5000");
    }

    @Override
    public String description() {
        return """
                Finishes a job that stopped (an error, Ctrl-C) or whose run crashed: the job
                ID, or the newest unfinished job of the cluster. Its plan and the slots
                already moved are stored in the cluster, so this works from any machine.
                Slots left open are finished from the state the nodes are in. The plan
                shown is what is left, with the masters' slot counts as they are now.

                The job moves as it was started; mover options given here replace the job's
                own for this run, the others stay as they were.
                """ + Moves.HELP;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options()
                .addOption(Option.builder().longOpt(JOB).hasArg().argName("ID")
                        .desc("the job to finish; default the newest unfinished one").get()));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        String id = invocation.line().getOptionValue(JOB);
        if (id != null && id.isBlank()) {
            throw new UsageException("--" + JOB + " is blank; give the ID of a job, or leave --job out for the newest "
                    + "unfinished one");
        }
        Moves.moverOptions(invocation.line(), MoverOptions.defaults()); // checked now, before connecting
        return Moves.run(invocation, name(), access -> {
            JobRecord job = find(access, id);
            MoverOptions options = Moves.moverOptions(invocation.line(), job.options());
            return new Moves.Move(job.id(), remaining(job, access.topology()),
                    (listener, lease) -> Jobs.resume(access, job.id(), options, lease, listener));
        });
    }

    /**
     * The job {@code id} (ignoring case), or the newest unfinished one when {@code id} is null.
     *
     * @throws UsageException naming the id and the unfinished jobs if there is no such job, or saying that there is
     *     no unfinished job
     */
    private static JobRecord find(ClusterAccess access, String id) {
        List<JobRecord> jobs = Jobs.list(access);
        List<JobRecord> unfinished = jobs.stream().filter(j -> j.state() != JobState.DONE).collect(Collectors.toList());
        if (id == null) {
            if (unfinished.isEmpty()) {
                throw new UsageException("there is no unfinished job to resume; nothing was changed");
            }
            return unfinished.get(0);
        }
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return jobs.stream().filter(j -> j.id().equals(wanted)).findFirst().orElseThrow(() ->
                new UsageException("--" + JOB + " " + id + ": the cluster has no such job (done jobs are kept 30 days); "
                        + (unfinished.isEmpty() ? "no job is unfinished"
                        : "unfinished: " + unfinished.stream().map(JobRecord::id).collect(Collectors.joining(", ")))));
    }

    /**
     * What is left of {@code job}: its transfers cut down to the slots not done yet, and every master of its plan
     * with the slots it serves in {@code topology} now and will serve once those have moved.
     */
    static Plan remaining(JobRecord job, Topology topology) {
        List<Plan.Transfer> transfers = job.remainingTransfers();
        List<Plan.Share> masters = new ArrayList<>();
        for (Plan.Share share : job.plan().masters()) {
            SlotSet now = topology.nodes().stream().filter(n -> n.id().equals(share.id())).findFirst()
                    .map(NodeInfo::slots).orElse(SlotSet.empty());
            SlotSet after = now;
            for (Plan.Transfer t : transfers) {
                if (t.source().equals(share.id())) {
                    after = after.minus(t.slots());
                }
                if (t.target().equals(share.id())) {
                    after = after.union(t.slots());
                }
            }
            masters.add(new Plan.Share(share.id(), share.address(), now.size(), after.size()));
        }
        return new Plan(job.plan().kind(), transfers, masters);
    }
}
