package io.reslot.migrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Moves the slots of a plan with MIGRATE, each slot in the ASK-safe order of {@link SlotMigration}.
 *
 * <p>Speed comes from overlap and from fewer, larger writes. Up to {@link MoverOptions#parallel()} source/target
 * pairs move at once (pairs with no node in common with the running ones are started first, so that no node is the
 * bottleneck of two pairs while another idles). Each pair has {@link MoverOptions#window()} slots in flight, in two
 * groups worked by a thread each ({@link SlotGroup}): every step of the ASK-safe order is written for a whole group
 * at once, and while one group's MIGRATEs run on the source the other's SETSLOTs run on the target. Slots the group
 * cannot finish in one batch, and every slot with {@code --wait-replicas}, move slot by slot
 * ({@link SlotMigration}). On each source one MIGRATE runs at a time, so that application clients are served
 * between two.
 *
 * <p>When a slot fails, no new slot is started; slots already in flight finish (a healthy slot is better closed
 * than left open), unless the failure is that the run must stop at once ({@link Control#checkContinue()}). The
 * first failure is thrown after everything in flight has settled.
 */
final class Mover {

    /** What the mover asks of the job that runs it. */
    interface Control {

        /**
         * Called before every step that changes the cluster.
         *
         * @throws MigrateException {@link MigrateErrorCode#STOPPED} if the run must stop now: the lock was lost, or
         *     the run was interrupted
         */
        void checkContinue();

        /** Records that {@code slot} is done; called once per slot, from several threads at once. */
        void slotDone(int slot);

        /**
         * Whether an earlier run of the same job left {@code slot} open: its target may then hold copies of keys still
         * on the source, restored by a MIGRATE whose answer that run never read (see {@code SlotMigration}).
         */
        default boolean leftOpenBefore(int slot) {
            return false;
        }
    }

    /**
     * What a run moved.
     *
     * @param slots slots done by this run
     * @param keys keys moved
     * @param bytes their estimated bytes
     * @param warnings things that went wrong without stopping the move (a master that missed a SETSLOT NODE and will
     *     learn the new owner from the others)
     */
    record Result(int slots, long keys, long bytes, List<String> warnings) {
    }

    private final ClusterAccess access;
    private final Topology topology;
    private final MoverOptions options;
    private final MoveListener listener;
    private final Control control;
    private final Throttle throttle;
    private final Map<String, AtomicLong> lastMigrateEnd = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, StatefulRedisConnection<byte[], byte[]>>> dedicated = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, StatefulRedisConnection<byte[], byte[]>>> pipes = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> lanes = new ConcurrentHashMap<>();

    private final AtomicInteger slotsDone = new AtomicInteger();
    private final AtomicLong keysMoved = new AtomicLong();
    private final AtomicLong bytesMoved = new AtomicLong();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<MigrateException> failure = new AtomicReference<>();
    private final Queue<Told> told = new ConcurrentLinkedQueue<>();
    /** Set when the run is interrupted: every slot stops at its next step, left open and resumable. */
    private volatile boolean halted;

    /** A SETSLOT NODE sent to a master other than the pair, whose reply is checked at the end. */
    private record Told(NodeInfo master, int slot, RedisFuture<String> reply) {
    }

    /**
     * @param topology the cluster as it is when the run starts: nodes are looked up by id in it, and the masters in
     *     it are told the new owner of every slot
     */
    Mover(ClusterAccess access, Topology topology, MoverOptions options, MoveListener listener, Control control) {
        this.access = access;
        this.topology = topology;
        this.options = options;
        this.listener = listener;
        this.control = control;
        this.throttle = new Throttle(options.rate());
    }

    /**
     * Moves every slot of {@code transfers}.
     *
     * @throws MigrateException the first failure, once the slots in flight have settled; slots not started are
     *     left where they were, the failed slot is left open
     */
    Result move(List<Plan.Transfer> transfers) {
        List<Pair> pending = new ArrayList<>();
        for (Plan.Transfer transfer : transfers) {
            pending.add(new Pair(node(transfer.source()), node(transfer.target()), transfer.slots().toArray(),
                    new BatchSizer(options)));
        }
        ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
        try {
            schedule(pending, threads);
        } finally {
            threads.shutdownNow();
            collectTold();
            dedicated.values().forEach(byNode -> byNode.values().forEach(StatefulRedisConnection::close));
            pipes.values().forEach(byNode -> byNode.values().forEach(StatefulRedisConnection::close));
        }
        MigrateException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        return new Result(slotsDone.get(), keysMoved.get(), bytesMoved.get(), List.copyOf(warnings));
    }

    private void schedule(List<Pair> pending, ExecutorService threads) {
        List<Pair> running = new ArrayList<>();
        BlockingQueue<Pair> finished = new LinkedBlockingQueue<>();
        while (!pending.isEmpty() || !running.isEmpty()) {
            while (failure.get() == null && running.size() < options.parallel() && !pending.isEmpty()) {
                Pair next = pickNext(pending, running);
                pending.remove(next);
                running.add(next);
                start(next, threads, finished);
            }
            if (failure.get() != null) {
                pending.clear();
            }
            if (running.isEmpty()) {
                break;
            }
            try {
                running.remove(finished.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                halted = true;
                fail(new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted"));
                // the workers stop at their next step; wait for them to settle
                awaitQuietly(running, finished);
                return;
            }
        }
    }

    private static void awaitQuietly(List<Pair> running, BlockingQueue<Pair> finished) {
        while (!running.isEmpty()) {
            try {
                running.remove(finished.take());
            } catch (InterruptedException again) {
                // keep waiting: leaving workers behind would let them change the cluster after we returned
            }
        }
        Thread.currentThread().interrupt();
    }

    /** The first pending pair sharing no node with a running pair, else the first pending pair. */
    private static Pair pickNext(List<Pair> pending, List<Pair> running) {
        Set<String> busy = new HashSet<>();
        for (Pair pair : running) {
            busy.add(pair.source.id());
            busy.add(pair.target.id());
        }
        for (Pair pair : pending) {
            if (!busy.contains(pair.source.id()) && !busy.contains(pair.target.id())) {
                return pair;
            }
        }
        return pending.get(0);
    }

    private void start(Pair pair, ExecutorService threads, Queue<Pair> finished) {
        int workers = Math.min(workersPerPair(), pair.waiting());
        AtomicInteger left = new AtomicInteger(workers);
        for (int i = 0; i < workers; i++) {
            threads.execute(() -> {
                try {
                    work(pair);
                } finally {
                    if (left.decrementAndGet() == 0) {
                        finished.add(pair); // exactly once: by the last worker to end
                    }
                }
            });
        }
    }

    /**
     * Grouped moves need two workers per pair: while one waits for its group's MIGRATEs on the source, the other
     * prepares its group on the target. Slot by slot ({@code --wait-replicas}), each slot in flight is a worker.
     */
    private int workersPerPair() {
        return grouped() ? Math.min(2, options.window()) : options.window();
    }

    /**
     * Whether slots move in groups ({@link SlotGroup}). Not with {@code --wait-replicas}: waiting for replicas is
     * done per batch, slot by slot ({@link SlotMigration}).
     */
    private boolean grouped() {
        return options.waitReplicas() == 0;
    }

    private void work(Pair pair) {
        int groupSize = grouped() ? Math.max(1, options.window() / workersPerPair()) : 1;
        int[] group;
        while (failure.get() == null && (group = pair.take(groupSize)).length > 0) {
            int current = group[0];
            try {
                List<Integer> slotByslot = new ArrayList<>();
                if (grouped()) {
                    SlotGroup.Result result = new SlotGroup(this, pair.source, pair.target, group, pair.sizer).run();
                    keysMoved.addAndGet(result.keys());
                    bytesMoved.addAndGet(result.bytes());
                    for (SlotGroup.Moved moved : result.done()) {
                        done(moved.slot(), moved.keys(), moved.bytes());
                    }
                    slotByslot.addAll(result.left()); // announced by the group already
                } else {
                    emit(new MoveEvent.SlotStarted(current, pair.source.id(), pair.target.id()));
                    slotByslot.add(current);
                }
                for (int slot : slotByslot) {
                    current = slot;
                    SlotMigration.Outcome outcome = new SlotMigration(this, pair.source, pair.target, slot,
                            pair.sizer).run();
                    keysMoved.addAndGet(outcome.keys());
                    bytesMoved.addAndGet(outcome.bytes());
                    done(slot, outcome.keys(), outcome.bytes());
                }
            } catch (MigrateException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new MigrateException(MigrateErrorCode.STOPPED, "slot " + current + ": unexpected error "
                        + e + "; the slot may be left open; run `reslot check`, then `reslot resume`", e));
            }
        }
    }

    /** Counts, records and announces a slot moved completely. */
    private void done(int slot, long keys, long bytes) {
        slotsDone.incrementAndGet();
        control.slotDone(slot);
        emit(new MoveEvent.SlotDone(slot, keys, bytes));
    }

    private void fail(MigrateException e) {
        if (failure.compareAndSet(null, e)) {
            emit(new MoveEvent.Error(e.code(), e.getMessage()));
        }
    }

    // --- services for SlotMigration -------------------------------------------------------------------------------

    ClusterAccess access() {
        return access;
    }

    MoverOptions options() {
        return options;
    }

    /**
     * Called before every step that changes the cluster.
     *
     * @throws MigrateException {@link MigrateErrorCode#INTERRUPTED} if the run was interrupted, or as
     *     {@link Control#checkContinue()} says
     */
    void checkContinue() {
        if (halted) {
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        }
        control.checkContinue();
    }

    Throttle throttle() {
        return throttle;
    }

    /** See {@link Control#leftOpenBefore}. */
    boolean leftOpenBefore(int slot) {
        return control.leftOpenBefore(slot);
    }

    /** Every master of the topology other than {@code a} and {@code b}. */
    List<NodeInfo> mastersOtherThan(NodeInfo a, NodeInfo b) {
        List<NodeInfo> others = new ArrayList<>();
        for (NodeInfo master : topology.masters()) {
            if (!master.id().equals(a.id()) && !master.id().equals(b.id()) && !master.isFailing()) {
                others.add(master);
            }
        }
        return others;
    }

    /**
     * How long the source worked on a MIGRATE that was sent at {@code sentNanos} and answered at {@code endNanos}:
     * the source runs one command at a time, so a MIGRATE starts when it arrives or when the previous one on that
     * source ended, whichever is later. Without this, a MIGRATE queued behind the window's others would look slow.
     */
    long serviceMicros(NodeInfo source, long sentNanos, long endNanos) {
        AtomicLong last = lastMigrateEnd.computeIfAbsent(source.id(), id -> new AtomicLong(Long.MIN_VALUE));
        long previousEnd = last.getAndAccumulate(endNanos, Math::max);
        long start = previousEnd == Long.MIN_VALUE ? sentNanos : Math.max(sentNanos, Math.min(previousEnd, endNanos));
        return (endNanos - start) / 1000;
    }

    /**
     * A connection to {@code node} used by the calling thread only: for {@code ASKING} + command and for
     * {@code WAIT}, which must not interleave with, or block, other threads' commands.
     */
    StatefulRedisConnection<byte[], byte[]> dedicated(NodeInfo node) {
        Map<String, StatefulRedisConnection<byte[], byte[]>> mine =
                dedicated.computeIfAbsent(Thread.currentThread().getId(), id -> new LinkedHashMap<>());
        StatefulRedisConnection<byte[], byte[]> connection = mine.get(node.id());
        if (connection == null || !connection.isOpen()) {
            connection = access.dedicated(node);
            mine.put(node.id(), connection);
        }
        return connection;
    }

    /**
     * A connection to {@code node} used by the calling thread only, that sends nothing until
     * {@link StatefulRedisConnection#flushCommands()}: {@link SlotGroup} writes each step for all its slots at once.
     */
    StatefulRedisConnection<byte[], byte[]> pipe(NodeInfo node) {
        Map<String, StatefulRedisConnection<byte[], byte[]>> mine =
                pipes.computeIfAbsent(Thread.currentThread().getId(), id -> new LinkedHashMap<>());
        StatefulRedisConnection<byte[], byte[]> connection = mine.get(node.id());
        if (connection == null || !connection.isOpen()) {
            connection = access.dedicated(node);
            connection.setAutoFlushCommands(false);
            mine.put(node.id(), connection);
        }
        return connection;
    }

    /**
     * Waits until no other MIGRATE of this run is under way on {@code source}. A MIGRATE blocks its source for its
     * whole run; one at a time, application clients get their turn between two, instead of waiting behind a queue.
     *
     * @throws MigrateException {@link MigrateErrorCode#INTERRUPTED} if interrupted while waiting
     */
    void acquireLane(NodeInfo source) {
        try {
            lanes.computeIfAbsent(source.id(), id -> new Semaphore(1)).acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted");
        }
    }

    /** Ends what {@link #acquireLane} began. */
    void releaseLane(NodeInfo source) {
        lanes.get(source.id()).release();
    }

    /** Remembers a SETSLOT NODE sent to another master ({@code reply} null if it could not be sent). */
    void toldLater(NodeInfo master, int slot, RedisFuture<String> reply) {
        told.add(new Told(master, slot, reply));
    }

    private void collectTold() {
        Map<String, List<Integer>> missed = new LinkedHashMap<>();
        for (Told t : told) {
            String why;
            try {
                if (t.reply() == null) {
                    why = "not reachable";
                } else {
                    t.reply().get();
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                why = String.valueOf(e.getCause().getMessage());
            }
            missed.computeIfAbsent(t.master().address() + " (" + why + ")", k -> new ArrayList<>()).add(t.slot());
        }
        missed.forEach((master, slots) -> warnings.add(master + " missed CLUSTER SETSLOT NODE for slots "
                + io.reslot.slot.SlotSet.of(slots.stream().mapToInt(Integer::intValue).toArray())
                + "; it learns the new owners from the other nodes"));
    }

    void emit(MoveEvent event) {
        emit(listener, event);
    }

    /** Hands {@code event} to {@code listener}; a listener's bug must not leave a slot half moved or stop a job. */
    static void emit(MoveListener listener, MoveEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException ignored) {
            // reported nowhere on purpose: the listener is the reporting channel
        }
    }

    private NodeInfo node(String id) {
        for (NodeInfo node : topology.nodes()) {
            if (node.id().equals(id)) {
                return node;
            }
        }
        throw new MigrateException(MigrateErrorCode.BAD_INPUT, "the plan names node " + id
                + ", which the cluster does not know; make a new plan");
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "reslot-mover-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One source/target pair: its slots still to start, and what its batches have taught about its speed. */
    private static final class Pair {

        final NodeInfo source;
        final NodeInfo target;
        private final int[] slots;
        private int next;
        final BatchSizer sizer;

        /** Up to {@code n} of the slots still to start, in plan order; empty when none is left. */
        synchronized int[] take(int n) {
            int[] taken = Arrays.copyOfRange(slots, next, Math.min(slots.length, next + n));
            next += taken.length;
            return taken;
        }

        /** How many slots are still to start. */
        synchronized int waiting() {
            return slots.length - next;
        }

        Pair(NodeInfo source, NodeInfo target, int[] slots, BatchSizer sizer) {
            this.source = source;
            this.target = target;
            this.slots = slots.clone();
            this.sizer = sizer;
        }
    }
}
