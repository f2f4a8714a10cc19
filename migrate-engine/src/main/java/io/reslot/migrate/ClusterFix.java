package io.reslot.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.migrate.CheckReport.Kind;
import io.reslot.migrate.CheckReport.OpenSlot;
import io.reslot.migrate.CheckReport.Problem;
import io.reslot.migrate.FixPlan.Action;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.slot.SlotSet;

/**
 * Repairs what {@link ClusterCheck} finds: open slots, keys in slots their node does not serve, uncovered slots and
 * slots claimed by several masters. {@link #plan} says what it would do (for {@code --dry-run}); {@link #fix} does it
 * under the cluster's lock, checks again, and repeats (one repair can reveal the next, e.g. an uncovered slot given
 * to one of the masters holding its keys leaves the others' keys stray) up to {@value #MAX_ROUNDS} rounds.
 *
 * <p>The rules, chosen so that no key is lost:
 * <ul>
 *   <li>a slot open on both sides: finish the move, exactly as the mover does;</li>
 *   <li>a slot open on one side only: give the slot to the node holding its keys — finish the move when the other
 *       side holds keys (more of them than the owner), otherwise move any stray keys back to the owner and close
 *       the slot;</li>
 *   <li>keys in a slot the node does not serve: move them to the slot's owner (the node is briefly set IMPORTING so
 *       that it can MIGRATE them), keys already on the owner are compared by DUMP as the mover does;</li>
 *   <li>uncovered slots: given to the master holding most of their keys, else to the master with fewest slots;</li>
 *   <li>several owners: the claimant holding most keys keeps the slot.</li>
 * </ul>
 * Problems that involve a node that is down, failing or unknown are left to a person: bring the node back (or let
 * a replica take over), then run fix again.
 */
public final class ClusterFix {

    /** Rounds of check, plan and repair before giving up on what is left. */
    static final int MAX_ROUNDS = 3;

    private ClusterFix() {
    }

    /**
     * What {@link #fix} would do first, from a fresh check; changes nothing.
     *
     * @throws MigrateException if the cluster cannot be read
     */
    public static FixPlan plan(ClusterAccess access) {
        CheckReport report = settledCheck(access, BEFORE_STABLE_NANOS);
        return plan(access.topology(), report);
    }

    /**
     * Repairs the cluster under its lock, then checks it again.
     *
     * @param options how keys are moved (batch sizes, MIGRATE timeout, BUSYKEY policy)
     * @param listener receives the events of finished moves
     * @throws MigrateException {@link MigrateErrorCode#LOCKED} if another run holds the lock;
     *     {@link MigrateErrorCode#STOPPED} (or another code) if a repair fails, saying what state it left
     */
    public static FixOutcome fix(ClusterAccess access, MoverOptions options, MoveListener listener) {
        List<Action> done = new ArrayList<>();
        CheckReport report = settledCheck(access, BEFORE_STABLE_NANOS);
        Permissions.require(access, Permissions.Operation.FIX);
        LeaseLock lock;
        try {
            lock = LeaseLock.acquire(access.metadata(), "fix");
        } catch (MigrateException e) {
            if (!String.valueOf(e.getMessage()).contains("CLUSTERDOWN")) {
                throw e;
            }
            // Uncovered slots take the whole cluster down, the lock's slot too. Covering them is what brings it back;
            // it only adds slots nobody serves, so no other run can be hurt by it.
            for (Action action : plan(access.topology(), report).actions()) {
                if (action.kind() == FixPlan.Kind.ASSIGN_SLOTS) {
                    apply(access, action, options, listener, null);
                    done.add(action);
                }
            }
            report = settledCheck(access, UNTIL_AGREED);
            lock = LeaseLock.acquire(access.metadata(), "fix");
        }
        try (LeaseLock held = lock) {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                FixPlan plan = plan(access.topology(), report);
                if (plan.isEmpty()) {
                    break;
                }
                for (Action action : plan.actions()) {
                    held.checkHeld();
                    apply(access, action, options, listener, held);
                    done.add(action);
                }
                report = settledCheck(access, UNTIL_AGREED);
            }
            return new FixOutcome(done, report);
        }
    }

    /** The actions for {@code report}; pure. */
    static FixPlan plan(Topology topology, CheckReport report) {
        Set<String> down = new HashSet<>();
        List<String> unfixable = new ArrayList<>();
        for (Problem problem : report.problems()) {
            if (problem.kind() == Kind.NODE_UNREACHABLE || problem.kind() == Kind.NODE_FAILING
                    || problem.kind() == Kind.NODE_INCOMPLETE) {
                problem.nodes().forEach(n -> down.add(n.id()));
                unfixable.add(problem.message() + "; bring it back (or let a replica take over), then run `reslot fix`");
            }
        }
        // slot -> holder id -> keys, for keys held in slots their master does not serve
        Map<Integer, Map<String, Long>> strays = new TreeMap<>();
        for (Problem problem : report.problems(Kind.KEYS_IN_UNOWNED_SLOTS)) {
            String holder = problem.nodes().get(0).id();
            problem.keysPerSlot().forEach((slot, keys) -> strays.computeIfAbsent(slot, s -> new LinkedHashMap<>())
                    .put(holder, keys));
        }
        List<Action> actions = new ArrayList<>();
        Set<Integer> handled = new HashSet<>();
        assignUncovered(topology, report, strays, down, actions, handled);
        settleOwners(topology, down, actions, handled);
        for (Problem problem : report.problems(Kind.OPEN_SLOT)) {
            closeOpenSlot(topology, problem.openSlot(), down, actions, unfixable, handled);
        }
        returnStrayKeys(topology, strays, down, actions, handled);
        if (actions.isEmpty()) {
            for (Problem problem : report.problems(Kind.VIEWS_DISAGREE)) {
                unfixable.add(problem.message() + "; nodes agree again within seconds after a change: run `reslot"
                        + " check` again");
            }
        }
        actions.sort(Comparator.comparing(Action::kind)); // stable: the order found within a kind
        return new FixPlan(actions, unfixable);
    }

    private static void assignUncovered(Topology topology, CheckReport report, Map<Integer, Map<String, Long>> strays,
            Set<String> down, List<Action> actions, Set<Integer> handled) {
        Map<String, List<Integer>> byMaster = new LinkedHashMap<>();
        Map<String, Integer> served = new TreeMap<>();
        for (NodeInfo master : topology.masters()) {
            if (!down.contains(master.id())) {
                served.put(master.id(), master.slots().size());
            }
        }
        if (served.isEmpty()) {
            return;
        }
        for (Problem problem : report.problems(Kind.UNCOVERED_SLOTS)) {
            for (int slot : problem.slots().toArray()) {
                Map<String, Long> holders = strays.getOrDefault(slot, Map.of());
                String chosen = holders.entrySet().stream().filter(e -> served.containsKey(e.getKey()))
                        .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                        .orElseGet(() -> served.entrySet().stream().min(Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey());
                served.merge(chosen, 1, Integer::sum);
                byMaster.computeIfAbsent(chosen, k -> new ArrayList<>()).add(slot);
                handled.add(slot);
            }
        }
        byMaster.forEach((id, slots) -> {
            SlotSet set = SlotSet.of(slots.stream().mapToInt(Integer::intValue).toArray());
            CheckReport.Node to = CheckReport.Node.of(topology.node(id));
            actions.add(new Action(FixPlan.Kind.ASSIGN_SLOTS, set, null, to, "give " + set.size()
                    + " uncovered slots (" + Tables.abbreviate(set.toString()) + ") to " + to));
        });
    }

    private static void settleOwners(Topology topology, Set<String> down, List<Action> actions, Set<Integer> handled) {
        Map<List<String>, List<Integer>> byClaimants = new LinkedHashMap<>();
        List<NodeInfo> masters = topology.masters();
        for (int slot = 0; slot < io.reslot.slot.KeySlot.SLOT_COUNT; slot++) {
            List<String> claimants = new ArrayList<>(2);
            for (NodeInfo master : masters) {
                if (master.slots().contains(slot)) {
                    claimants.add(master.id());
                }
            }
            if (claimants.size() > 1 && claimants.stream().noneMatch(down::contains)) {
                byClaimants.computeIfAbsent(claimants, k -> new ArrayList<>()).add(slot);
                handled.add(slot);
            }
        }
        byClaimants.forEach((claimants, slots) -> {
            SlotSet set = SlotSet.of(slots.stream().mapToInt(Integer::intValue).toArray());
            List<String> names = claimants.stream().map(id -> CheckReport.Node.of(topology.node(id)).toString()).toList();
            actions.add(new Action(FixPlan.Kind.SETTLE_OWNER, set, null, null, "slots " + Tables.abbreviate(
                    set.toString()) + " are claimed by " + String.join(" and ", names) + ": the one holding most of"
                    + " each slot's keys keeps it, the others' keys move to it"));
        });
    }

    private static void closeOpenSlot(Topology topology, OpenSlot open, Set<String> down, List<Action> actions, List<String> unfixable,
            Set<Integer> handled) {
        int slot = open.slot();
        if (!handled.add(slot)) {
            return; // assigned or settled first; what is left shows in the next round
        }
        if (down.contains(open.source().id()) || down.contains(open.target().id())
                || open.sourceKeys() == null || open.targetKeys() == null) {
            unfixable.add("slot " + slot + " is open between " + open.source() + " and " + open.target()
                    + ", and one of them is down; bring it back, then run `reslot fix`");
            return;
        }
        long sourceKeys = open.sourceKeys();
        long targetKeys = open.targetKeys();
        SlotSet slots = SlotSet.of(slot);
        boolean sourceOwns = open.source().id().equals(open.owner());
        if (open.migrating() && open.importing()) {
            actions.add(finish(slots, open.source(), open.target(), sourceKeys + " keys left on the source"));
        } else if (open.importing()) {
            if (targetKeys == 0) {
                actions.add(new Action(FixPlan.Kind.CLOSE_SLOT, slots, open.target(), null, "close slot " + slot
                        + " on " + open.target() + ": it imports from " + open.source() + ", which is not migrating it,"
                        + " and holds none of its keys"));
            } else if (sourceOwns && targetKeys > sourceKeys) {
                actions.add(finish(slots, open.source(), open.target(), "the target holds most of its keys ("
                        + targetKeys + " against " + sourceKeys + ")"));
            } else if (open.owner() != null) {
                CheckReport.Node owner = sourceOwns ? open.source() : CheckReport.Node.of(topology.node(open.owner()));
                actions.add(returnKeys(slots, open.target(), owner, targetKeys));
            } else {
                unfixable.add("slot " + slot + " is importing on " + open.target() + " and served by no master");
            }
        } else {
            if (targetKeys > 0 && targetKeys >= sourceKeys) {
                actions.add(finish(slots, open.source(), open.target(), "the target holds most of its keys ("
                        + targetKeys + " against " + sourceKeys + ")"));
                return;
            }
            if (targetKeys > 0) {
                actions.add(returnKeys(slots, open.target(), open.source(), targetKeys));
            }
            actions.add(new Action(FixPlan.Kind.CLOSE_SLOT, slots, open.source(), null, "close slot " + slot + " on "
                    + open.source() + ": it migrates to " + open.target() + ", which is not importing it"));
        }
    }

    private static void returnStrayKeys(Topology topology, Map<Integer, Map<String, Long>> strays, Set<String> down,
            List<Action> actions, Set<Integer> handled) {
        Map<List<String>, List<Integer>> byPair = new LinkedHashMap<>();
        Map<List<String>, Long> keys = new LinkedHashMap<>();
        strays.forEach((slot, holders) -> {
            String owner = topology.ownerOf(slot);
            if (handled.contains(slot) || owner == null || down.contains(owner)) {
                return;
            }
            holders.forEach((holder, count) -> {
                if (!down.contains(holder)) {
                    List<String> pair = List.of(holder, owner);
                    byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(slot);
                    keys.merge(pair, count, Long::sum);
                }
            });
        });
        byPair.forEach((pair, slots) -> actions.add(returnKeys(SlotSet.of(slots.stream().mapToInt(Integer::intValue)
                .toArray()), CheckReport.Node.of(topology.node(pair.get(0))),
                CheckReport.Node.of(topology.node(pair.get(1))), keys.get(pair))));
    }

    private static Action finish(SlotSet slots, CheckReport.Node source, CheckReport.Node target, String why) {
        return new Action(FixPlan.Kind.FINISH_MOVE, slots, source, target, "finish moving slot " + slots + " from "
                + source + " to " + target + " (" + why + ")");
    }

    private static Action returnKeys(SlotSet slots, CheckReport.Node holder, CheckReport.Node owner, long keys) {
        return new Action(FixPlan.Kind.RETURN_KEYS, slots, holder, owner, "move " + keys + " keys of slots "
                + Tables.abbreviate(slots.toString()) + " from " + holder + ", which does not serve them, to their"
                + " owner " + owner);
    }

    // --- applying ---------------------------------------------------------------------------------------------------

    private static void apply(ClusterAccess access, Action action, MoverOptions options, MoveListener listener,
            LeaseLock lock) {
        Topology topology = access.topology();
        switch (action.kind()) {
            case ASSIGN_SLOTS -> run(access, topology, action.to(), "CLUSTER ADDSLOTS",
                    c -> c.clusterAddSlots(action.slots().toArray()));
            case CLOSE_SLOT -> {
                for (int slot : action.slots().toArray()) {
                    run(access, topology, action.from(), "CLUSTER SETSLOT STABLE", c -> c.clusterSetSlotStable(slot));
                }
            }
            case FINISH_MOVE -> {
                Plan.Transfer transfer = new Plan.Transfer(action.from().id(), action.from().address(),
                        action.to().id(), action.to().address(), action.slots());
                new Mover(access, topology, options, listener, new Mover.Control() {
                    @Override
                    public void checkContinue() {
                        lock.checkHeld();
                    }

                    @Override
                    public void slotDone(int slot) {
                    }
                }).move(List.of(transfer));
            }
            case RETURN_KEYS -> {
                NodeInfo holder = topology.node(action.from().id());
                NodeInfo owner = topology.node(action.to().id());
                for (int slot : action.slots().toArray()) {
                    new StrayKeys(access, holder, owner, slot, options, lock).returnAll();
                }
            }
            case SETTLE_OWNER -> {
                for (int slot : action.slots().toArray()) {
                    settle(access, topology, slot, options, lock);
                }
            }
            default -> throw new IllegalStateException(action.kind().name());
        }
    }

    /** The claimant with most keys keeps the slot; the others hand over their keys and drop the claim. */
    private static void settle(ClusterAccess access, Topology topology, int slot, MoverOptions options, LeaseLock lock) {
        List<NodeInfo> claimants = topology.masters().stream().filter(m -> m.slots().contains(slot)).toList();
        if (claimants.size() < 2) {
            return; // settled by the nodes themselves meanwhile
        }
        Map<NodeInfo, Long> keys = new LinkedHashMap<>();
        for (NodeInfo claimant : claimants) {
            keys.put(claimant, access.connection(claimant).sync().clusterCountKeysInSlot(slot));
        }
        NodeInfo keeper = keys.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        for (NodeInfo other : claimants) {
            if (other != keeper) {
                CheckReport.Node node = CheckReport.Node.of(other);
                run(access, topology, node, "CLUSTER DELSLOTS", c -> c.clusterDelSlots(slot));
                new StrayKeys(access, other, keeper, slot, options, lock).returnAll();
            }
        }
        // a new, highest epoch makes the keeper's claim win on every node
        run(access, topology, CheckReport.Node.of(keeper), "CLUSTER BUMPEPOCH", RedisCommands::clusterBumpepoch);
    }

    private static void run(ClusterAccess access, Topology topology, CheckReport.Node node, String what,
            java.util.function.Function<RedisCommands<byte[], byte[]>, ?> command) {
        NodeInfo info = topology.node(node.id());
        try {
            command.apply(access.connection(info).sync());
        } catch (RedisException e) {
            throw new MigrateException(MigrateErrorCode.STOPPED, what + " on " + node + " failed: " + e.getMessage()
                    + "; run `reslot check` to see where the cluster is, then `reslot fix` again", e);
        }
    }

    /**
     * Before a fix: a disagreement unchanged this long is taken to predate the fix, one the repair itself must settle.
     * Gossip spreads a change through the pings of the node that made it, one node a second or so, so a change just
     * before the fix (a master that gave away its last slot becomes a replica) can sit unchanged for over a second.
     */
    static final long BEFORE_STABLE_NANOS = 3_000_000_000L;
    /** After the fix's own changes, which gossip must spread: wait for agreement (within the 10 s bound). */
    static final long UNTIL_AGREED = Long.MAX_VALUE;

    /**
     * A check once the nodes agree, or once what they disagree on has stayed the same for {@code stableNanos}, or
     * after 10 s. Nodes disagree for a moment after every change, which gossip then spreads: a change of ours, or one
     * just before the fix. A plan made from such a moment repairs what is not broken: a slot that its new owner's view
     * has and the others' do not yet looks served by no master.
     */
    private static CheckReport settledCheck(ClusterAccess access, long stableNanos) {
        awaitSettled(() -> access.topology().disagreements(), stableNanos);
        return ClusterCheck.check(access);
    }

    /** Polls {@code disagreements} every 100 ms until it is empty, or the same for {@code stableNanos}, or 10 s. */
    static void awaitSettled(Supplier<List<String>> disagreements, long stableNanos) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> last = null;
        long sameSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            List<String> now = disagreements.get();
            if (now.isEmpty()) {
                return;
            }
            if (!now.equals(last)) {
                last = now;
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince >= stableNanos) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted while waiting for the nodes to"
                        + " agree; run `reslot check`");
            }
        }
    }

    /**
     * Moves the keys a master holds in a slot it does not serve to the slot's owner: the holder is set IMPORTING from
     * the owner, so that after {@code ASKING} it lets a MIGRATE read them, then closed again.
     */
    private static final class StrayKeys {

        private final ClusterAccess access;
        private final NodeInfo holder;
        private final NodeInfo owner;
        private final int slot;
        private final MoverOptions options;
        private final LeaseLock lock;

        StrayKeys(ClusterAccess access, NodeInfo holder, NodeInfo owner, int slot, MoverOptions options,
                LeaseLock lock) {
            this.access = access;
            this.holder = holder;
            this.owner = owner;
            this.slot = slot;
            this.options = options;
            this.lock = lock;
        }

        void returnAll() {
            try (StatefulRedisConnection<byte[], byte[]> connection = access.dedicated(holder)) {
                RedisCommands<byte[], byte[]> on = connection.sync();
                on.clusterSetSlotImporting(slot, owner.id());
                for (int round = 0; ; round++) {
                    lock.checkHeld();
                    List<byte[]> keys = on.clusterGetKeysInSlot(slot, options.batchKeys());
                    if (keys.isEmpty()) {
                        break;
                    }
                    if (round > 1_000_000) {
                        throw failed("keys keep coming back", null);
                    }
                    try {
                        migrate(on, keys, options.onBusyKey() == BusyKeyPolicy.REPLACE);
                    } catch (RedisException e) {
                        if (!String.valueOf(e.getMessage()).contains("BUSYKEY")) {
                            throw failed("MIGRATE failed: " + e.getMessage(), e);
                        }
                        for (byte[] key : keys) {
                            returnOne(on, key);
                        }
                    }
                }
                on.clusterSetSlotStable(slot);
            } catch (RedisException e) {
                throw failed(e.getMessage(), e);
            }
        }

        /** One key, with the BUSYKEY policy: an identical copy on the owner makes ours redundant. */
        private void returnOne(RedisCommands<byte[], byte[]> on, byte[] key) {
            try {
                migrate(on, List.of(key), false);
                return;
            } catch (RedisException e) {
                if (!String.valueOf(e.getMessage()).contains("BUSYKEY")) {
                    throw failed("MIGRATE of key " + SlotMigration.printable(key) + " failed: " + e.getMessage(), e);
                }
            }
            on.asking();
            if (on.exists(key) == 0) {
                return; // deleted or expired meanwhile: nothing left to return
            }
            if (SameValue.of(key, new SameValue.Side(on, true), new SameValue.Side(access.connection(owner).sync(),
                    false))) {
                on.asking();
                on.del(key); // the owner has the same value: this copy adds nothing
            } else if (options.onBusyKey() == BusyKeyPolicy.REPLACE) {
                migrate(on, List.of(key), true);
            } else {
                throw failed("key " + SlotMigration.printable(key) + " exists on both with different values; delete"
                        + " the copy you do not want, or run `reslot fix --on-busy-key replace` to keep "
                        + holder.address() + "'s", null);
            }
        }

        private void migrate(RedisCommands<byte[], byte[]> on, List<byte[]> keys, boolean replace) {
            on.asking();
            on.migrate(owner.host(), owner.port(), 0, options.timeoutMillis(),
                    SlotMigration.migrateArgs(access.options(), keys, replace));
        }

        private MigrateException failed(String what, Throwable cause) {
            return new MigrateException(MigrateErrorCode.STOPPED, "moving the keys of slot " + slot + " from "
                    + holder.address() + " to its owner " + owner.address() + " stopped: " + what + ". The slot is left"
                    + " IMPORTING on " + holder.address() + "; run `reslot fix` again once the cause is dealt with",
                    cause);
        }
    }
}
