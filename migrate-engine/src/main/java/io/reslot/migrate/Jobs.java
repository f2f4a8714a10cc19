package io.reslot.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.reslot.migrate.internal.JobStore;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.slot.SlotSet;

/**
 * Runs plans as jobs: the plan and each slot's progress are stored in the cluster, so that a run that stops (an
 * error, Ctrl-C, a crash) can be finished by {@link #resume} from any machine, and the cluster's lease lock keeps two
 * runs from changing the cluster at once.
 *
 * <pre>{@code
 * try (ClusterAccess cluster = ClusterAccess.connect(AccessOptions.builder().seeds("10.0.0.1:7000").build())) {
 *     Plan plan = Planner.reshard(cluster.topology(), "10.0.0.4:7000", 1000, List.of());
 *     JobOutcome outcome = Jobs.run(cluster, plan, MoverOptions.defaults(), event -> log(event));
 * }
 * }</pre>
 */
public final class Jobs {

    /**
     * How long the cluster's lock outlives its holder's last renewal (renewed every third of it): a run that crashed
     * blocks the next run for at most this long.
     */
    public static final Duration DEFAULT_LOCK_LEASE = LeaseLock.DEFAULT_LEASE;
    /** The shortest lock lease accepted. */
    public static final Duration MIN_LOCK_LEASE = LeaseLock.MIN_LEASE;
    /** How long a new job waits for its record to reach a replica. */
    private static final long RECORDS_WAIT_MILLIS = 1000;

    private Jobs() {
    }

    /**
     * Checks that the cluster is healthy and still as the plan expects, takes the lock, stores the job and moves its
     * slots.
     *
     * @param listener receives the job's events, from several threads
     * @return what was done; an empty plan returns at once, without a job
     * @throws MigrateException {@link MigrateErrorCode#LOCKED} if another run holds the lock;
     *     {@link MigrateErrorCode#UNHEALTHY} if nodes disagree, slots are open or a master of the plan is failing;
     *     {@link MigrateErrorCode#BAD_INPUT} if the plan no longer fits the cluster or the options do not fit the
     *     connection (all three before anything is changed); {@link MigrateErrorCode#STOPPED},
     *     {@link MigrateErrorCode#INTERRUPTED} or another code if the job stopped part way, with a message that says
     *     what was done and how to resume. An interrupted run stops every slot at its next step, records its stop,
     *     releases the lock and throws {@link MigrateErrorCode#INTERRUPTED} with the thread's interrupt status
     *     cleared
     */
    public static JobOutcome run(ClusterAccess access, Plan plan, MoverOptions options, MoveListener listener) {
        return run(access, plan, options, DEFAULT_LOCK_LEASE, listener);
    }

    /**
     * As {@link #run(ClusterAccess, Plan, MoverOptions, MoveListener)}, holding the lock with a lease of
     * {@code lockLease} instead of {@link #DEFAULT_LOCK_LEASE}. A shorter lease frees a crashed run's lock sooner;
     * a run whose renewals are not confirmed within one lease (a long pause, a slow network) stops, resumable.
     *
     * @throws IllegalArgumentException if {@code lockLease} is shorter than {@link #MIN_LOCK_LEASE}
     */
    public static JobOutcome run(ClusterAccess access, Plan plan, MoverOptions options, Duration lockLease,
            MoveListener listener) {
        return run(access, plan, options, lockLease, listener, null);
    }

    /**
     * A fresh job id, for {@link #run(ClusterAccess, Plan, MoverOptions, Duration, MoveListener, String)}: a caller
     * that records it before the job is stored can find the job after dying at any moment.
     */
    public static String newJobId() {
        return JobStore.newId();
    }

    /**
     * As {@link #run(ClusterAccess, Plan, MoverOptions, Duration, MoveListener)}, storing the job under
     * {@code jobId} (from {@link #newJobId()}), or under a fresh id if it is {@code null}.
     *
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if a job with that id exists (nothing changed)
     */
    public static JobOutcome run(ClusterAccess access, Plan plan, MoverOptions options, Duration lockLease,
            MoveListener listener, String jobId) {
        requireTimeouts(access, options);
        if (plan.isEmpty()) {
            return new JobOutcome(null, true, 0, 0, 0, 0, 0, List.of());
        }
        Permissions.require(access, Permissions.Operation.MOVE);
        try (LeaseLock lock = LeaseLock.acquire(access.metadata(), plan.kind().name().toLowerCase().replace('_', '-'),
                lockLease)) {
            // read after taking the lock: from here on no other reslot run changes the cluster
            Topology topology = access.topology();
            requireHealthy(topology);
            requireFits(topology, plan, options);
            JobStore store = new JobStore(access.metadata());
            JobRecord job = jobId == null ? store.create(plan, options) : store.create(plan, options, jobId)
                    .orElseThrow(() -> new MigrateException(MigrateErrorCode.BAD_INPUT, "a job with id " + jobId
                            + " exists already; nothing was changed. Resume it with 'reslot resume --job " + jobId
                            + "', or start a new job"));
            // A target that fails mid-job may be the master of reslot's records too: the job must outlive it.
            List<String> notes = access.awaitRecordsReplicated(topology, RECORDS_WAIT_MILLIS) ? List.of()
                    : List.of("the job's record was not confirmed on a replica within " + RECORDS_WAIT_MILLIS
                            + " ms; should the master holding reslot's records fail before it replicates, the job"
                            + " cannot be resumed (its slots left open are then closed by `reslot fix`)");
            return execute(access, store, lock, job, topology, options, listener, notes);
        }
    }

    /**
     * Finishes an interrupted job: the slots it has not done yet, each from the state the nodes say it is in.
     *
     * @param jobId the job's id, or {@code null} for the newest unfinished job
     * @param options how to move, or {@code null} to move as the job was started
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if there is no such job or no unfinished one;
     *     otherwise as for {@link #run}
     */
    public static JobOutcome resume(ClusterAccess access, String jobId, MoverOptions options, MoveListener listener) {
        return resume(access, jobId, options, DEFAULT_LOCK_LEASE, listener);
    }

    /**
     * As {@link #resume(ClusterAccess, String, MoverOptions, MoveListener)}, holding the lock with a lease of
     * {@code lockLease}; see {@link #run(ClusterAccess, Plan, MoverOptions, Duration, MoveListener)}.
     *
     * @throws IllegalArgumentException if {@code lockLease} is shorter than {@link #MIN_LOCK_LEASE}
     */
    public static JobOutcome resume(ClusterAccess access, String jobId, MoverOptions options, Duration lockLease,
            MoveListener listener) {
        Permissions.require(access, Permissions.Operation.MOVE);
        try (LeaseLock lock = LeaseLock.acquire(access.metadata(), "resume", lockLease)) {
            JobStore store = new JobStore(access.metadata());
            JobRecord job = jobId != null ? store.load(jobId) : store.latestUnfinished().orElseThrow(() ->
                    new MigrateException(MigrateErrorCode.BAD_INPUT, "there is no unfinished job to resume"));
            int total = job.plan().slotCount();
            if (job.state() == JobState.DONE) {
                return new JobOutcome(job.id(), true, total, total, 0, 0, 0, List.of());
            }
            MoverOptions moving = options != null ? options : job.options();
            requireTimeouts(access, moving);
            Topology topology = access.topology();
            List<String> followed = new ArrayList<>();
            Plan plan = followFailovers(job.plan(), topology, followed);
            if (!followed.isEmpty()) {
                job = new JobRecord(job.id(), plan, job.options(), job.state(), job.createdAt(), job.updatedAt(),
                        job.createdBy(), job.done(), job.lastError());
            }
            for (Plan.Transfer transfer : job.plan().transfers()) {
                if (!transfer.slots().intersection(job.remaining()).isEmpty()) {
                    requireUsableMaster(topology, transfer.source(), "source");
                    requireReplicas(topology, requireUsableMaster(topology, transfer.target(), "target"), moving);
                }
            }
            store.resume(job.id());
            return execute(access, store, lock, job, topology, moving, listener, followed);
        }
    }

    /**
     * Every job kept in the cluster, newest first (done jobs are kept for 30 days).
     *
     * @throws MigrateException if the cluster cannot be read
     */
    public static List<JobRecord> list(ClusterAccess access) {
        return new JobStore(access.metadata()).list();
    }

    /**
     * {@code plan} with every source and target that has become a replica replaced by its {@link Topology#successor
     * successor}: a master that died during the job was replaced by its replica, which serves what it served and holds
     * the keys it had received (all of them with {@code --wait-replicas}), so the job goes on with that shard. Adds
     * one line to {@code followed} for each node replaced.
     */
    static Plan followFailovers(Plan plan, Topology topology, List<String> followed) {
        List<Plan.Transfer> transfers = new ArrayList<>();
        for (Plan.Transfer t : plan.transfers()) {
            String source = topology.successor(t.source());
            String target = topology.successor(t.target());
            if (source.equals(target)) {
                source = t.source(); // leave it to the usual checks, which say what is wrong
                target = t.target();
            }
            transfers.add(new Plan.Transfer(source, follow(topology, t.source(), source, t.sourceAddress(), followed),
                    target, follow(topology, t.target(), target, t.targetAddress(), followed), t.slots()));
        }
        return new Plan(plan.kind(), transfers, plan.masters());
    }

    private static String follow(Topology topology, String was, String now, String address, List<String> followed) {
        if (was.equals(now)) {
            return address;
        }
        String nowAddress = topology.node(now).address();
        String line = address + " (" + was.substring(0, 8) + ") is now a replica of " + nowAddress + " ("
                + now.substring(0, 8) + "), which took over from it; the job goes on with " + nowAddress;
        if (!followed.contains(line)) {
            followed.add(line);
        }
        return nowAddress;
    }

    /** Moves what is left of {@code job}; {@code notes} go first in the outcome's warnings. */
    private static JobOutcome execute(ClusterAccess access, JobStore store, LeaseLock lock, JobRecord job,
            Topology topology, MoverOptions options, MoveListener listener, List<String> notes) {
        SlotSet remaining = job.remaining();
        List<Plan.Transfer> pending = job.remainingTransfers();
        int total = job.plan().slotCount();
        int doneBefore = total - remaining.size();
        Progress progress = new Progress(store, lock, job.id(), leftOpen(topology, remaining));
        Mover.emit(listener, new MoveEvent.PlanStarted(job.id(), job.plan(), doneBefore));
        long started = System.nanoTime();
        try {
            Mover.Result result = new Mover(access, topology, options, listener, progress).move(pending);
            List<String> warnings = new ArrayList<>(notes);
            warnings.addAll(result.warnings());
            progress.awaitRecorded(warnings);
            store.finish(job.id(), JobState.DONE, null);
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            Mover.emit(listener, new MoveEvent.Finished(job.id(), true, total, total, result.keys(), result.bytes(), elapsed));
            return new JobOutcome(job.id(), true, total, total, result.keys(), result.bytes(), elapsed, warnings);
        } catch (MigrateException e) {
            // An interrupted run must still record its stop and release the lock, and Lettuce's synchronous calls
            // fail at once on an interrupted thread; the exception's code reports the interruption instead.
            Thread.interrupted();
            List<String> ignored = new ArrayList<>();
            progress.awaitRecorded(ignored);
            int done = doneBefore + progress.slots.get();
            String message = e.getMessage() + (e.getMessage().endsWith(".") ? " " : ". ") + "Job " + job.id() + ": "
                    + done + " of " + total + " slots done; to finish it run `reslot resume --job " + job.id() + "`.";
            try {
                store.finish(job.id(), JobState.STOPPED, message);
            } catch (MigrateException notRecorded) {
                message += " (Its stop could not be recorded in the cluster: " + notRecorded.getMessage() + ")";
            }
            Mover.emit(listener, new MoveEvent.Finished(job.id(), false, done, total, 0, 0,
                    (System.nanoTime() - started) / 1_000_000));
            throw new MigrateException(e.code(), message, e);
        }
    }

    /** The slots of {@code slots} that some node has open (MIGRATING or IMPORTING): an earlier run's, for a job. */
    private static SlotSet leftOpen(Topology topology, SlotSet slots) {
        int[] open = topology.nodes().stream()
                .flatMap(node -> Stream.concat(node.migrating().keySet().stream(), node.importing().keySet().stream()))
                .mapToInt(Integer::intValue).toArray();
        return SlotSet.of(open).intersection(slots);
    }

    /** The mover's control for a job: the lock must still be held, and done slots are recorded without waiting. */
    private static final class Progress implements Mover.Control {

        private final JobStore store;
        private final LeaseLock lock;
        private final String jobId;
        private final SlotSet leftOpen;
        private final AtomicInteger slots = new AtomicInteger();
        private final Queue<CompletableFuture<Void>> recording = new ConcurrentLinkedQueue<>();

        Progress(JobStore store, LeaseLock lock, String jobId, SlotSet leftOpen) {
            this.store = store;
            this.lock = lock;
            this.jobId = jobId;
            this.leftOpen = leftOpen;
        }

        @Override
        public boolean leftOpenBefore(int slot) {
            return leftOpen.contains(slot);
        }

        @Override
        public void checkContinue() {
            lock.checkHeld();
        }

        @Override
        public void slotDone(int slot) {
            slots.incrementAndGet();
            recording.add(store.markDoneAsync(jobId, slot).toCompletableFuture());
        }

        /** Waits for the done marks; one that failed only means resume will look at that slot again. */
        void awaitRecorded(List<String> warnings) {
            int failed = 0;
            for (CompletableFuture<Void> mark : recording) {
                try {
                    mark.join();
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            if (failed > 0) {
                warnings.add(failed + " done slots could not be recorded in the job; `reslot resume` would check them"
                        + " again and find them done");
            }
        }
    }

    private static void requireTimeouts(ClusterAccess access, MoverOptions options) {
        long commandTimeout = access.options().commandTimeout().toMillis();
        if (options.timeoutMillis() >= commandTimeout) {
            throw new MigrateException(MigrateErrorCode.BAD_INPUT, "the MIGRATE timeout (" + options.timeoutMillis()
                    + " ms) must be shorter than the connection's command timeout (" + commandTimeout + " ms), or a"
                    + " MIGRATE still running on the server would be given up by the client");
        }
    }

    private static void requireHealthy(Topology topology) {
        if (!topology.agrees()) {
            throw new MigrateException(MigrateErrorCode.UNHEALTHY, "the nodes disagree about the cluster: "
                    + String.join("; ", topology.disagreements()) + "; nothing was changed. Wait for them to agree,"
                    + " or run `reslot check`");
        }
        List<String> open = new ArrayList<>();
        for (NodeInfo node : topology.nodes()) {
            if (node.hasOpenSlots()) {
                open.add(node.address() + " (migrating " + node.migrating().keySet() + ", importing "
                        + node.importing().keySet() + ")");
            }
        }
        if (!open.isEmpty()) {
            throw new MigrateException(MigrateErrorCode.UNHEALTHY, "slots are open on " + String.join(", ", open)
                    + "; nothing was changed. If a reslot job left them, run `reslot resume`; otherwise `reslot fix`");
        }
    }

    private static void requireFits(Topology topology, Plan plan, MoverOptions options) {
        for (Plan.Transfer transfer : plan.transfers()) {
            NodeInfo source = requireUsableMaster(topology, transfer.source(), "source");
            NodeInfo target = requireUsableMaster(topology, transfer.target(), "target");
            SlotSet notThere = transfer.slots().minus(source.slots());
            if (!notThere.isEmpty()) {
                throw new MigrateException(MigrateErrorCode.BAD_INPUT, "the plan moves slots " + notThere + " from "
                        + source.address() + ", which does not serve them any more; nothing was changed. Make a new"
                        + " plan");
            }
            requireReplicas(topology, target, options);
        }
    }

    /** {@code --wait-replicas N} waits for N replicas of each target: a target with fewer could never satisfy it. */
    private static void requireReplicas(Topology topology, NodeInfo target, MoverOptions options) {
        long replicas = topology.replicasOf(target).stream().filter(r -> !r.isFailing()).count();
        if (replicas < options.waitReplicas()) {
            throw new MigrateException(MigrateErrorCode.BAD_INPUT, "--wait-replicas " + options.waitReplicas()
                    + " but " + target.address() + " has " + replicas + " working replicas; nothing was changed");
        }
    }

    private static NodeInfo requireUsableMaster(Topology topology, String id, String role) {
        NodeInfo node = topology.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow(() ->
                new MigrateException(MigrateErrorCode.BAD_INPUT, "the " + role + " " + id + " of the plan is not in"
                        + " the cluster any more; nothing was changed. Run `reslot check`"));
        if (!node.isMaster() || node.isFailing()) {
            throw new MigrateException(MigrateErrorCode.UNHEALTHY, "the " + role + " " + node.address() + " ("
                    + id.substring(0, 8) + ") is " + (node.isMaster() ? "failing" : "no longer a master")
                    + "; nothing was changed. Run `reslot check`");
        }
        return node;
    }
}
