package io.reslot.migrate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;

/**
 * Makes {@link Plan}s: which slots move from which master to which for a reshard, move-slots, rebalance or drain.
 *
 * <p>Planning is pure: it reads only the {@link Topology} it is given (the masters and the slots each serves in the
 * merged view), does no I/O, and the same topology and arguments always give an equal plan. It works on slot counts
 * and bitmaps, so a 1,000-master cluster plans in well under a millisecond.
 *
 * <p>Rules shared by every plan:
 * <ul>
 *   <li>"Address order" is the topology's order of nodes: by host, then port, then id.
 *   <li>When a master gives a number of slots rather than named ones, it gives its <em>lowest-numbered</em> slots
 *       (as {@code redis-cli} does), and when it gives to several masters, the target first in address order gets
 *       the lowest of them. So each transfer is as few ranges as the source's slots allow.
 *   <li>Transfers are ordered by source, then target, in address order; each source/target pair appears once.
 *   <li>{@link Plan#masters()} lists, in address order, every master the command took into account (the target and
 *       the sources, the masters balanced, or the drained master and the ones that may receive), even those whose
 *       count does not change.
 * </ul>
 */
public final class Planner {

    private Planner() {
    }

    /**
     * Plans moving {@code slots} slots to master {@code to}. The sources give in proportion to the slots each serves,
     * rounded by largest remainder (ties go to the source first in address order) so that exactly {@code slots} move;
     * each source gives its lowest-numbered slots.
     *
     * @param to the master that receives: node id, unique id prefix or {@code host:port}
     * @param slots how many slots to move, at least 1
     * @param from the masters that give, as node references; empty for every master other than {@code to} that
     *     serves slots. A master named twice counts once
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if {@code slots} is below 1, a reference matches no
     *     node or several, {@code to} or a source is not a master, {@code to} is among the sources, or the sources
     *     serve fewer than {@code slots} slots
     * @throws NullPointerException if an argument is null
     */
    public static Plan reshard(Topology t, String to, int slots, List<String> from) {
        Objects.requireNonNull(from, "from");
        if (slots < 1) {
            throw badInput("the number of slots to reshard must be at least 1, not " + slots);
        }
        Masters m = new Masters(t);
        int target = m.resolve(to, "the reshard target");
        int[] sources;
        if (from.isEmpty()) {
            sources = IntStream.range(0, m.size()).filter(i -> i != target && m.count(i) > 0).toArray();
        } else {
            sources = from.stream().mapToInt(ref -> m.resolve(ref, "reshard source")).sorted().distinct().toArray();
            if (Arrays.binarySearch(sources, target) >= 0) {
                throw badInput("cannot reshard " + m.name(target) + " to itself: it is both the target and a source ("
                        + from + "); leave it out of the sources");
            }
        }
        long served = 0;
        BigInteger[] weights = new BigInteger[sources.length];
        for (int i = 0; i < sources.length; i++) {
            served += m.count(sources[i]);
            weights[i] = BigInteger.valueOf(m.count(sources[i]));
        }
        if (slots > served) {
            throw badInput("cannot reshard " + slots + " slots to " + m.name(target) + ": the " + sources.length
                    + (sources.length == 1 ? " source serves" : " sources serve") + " only " + served);
        }
        int[] gives = apportion(slots, weights);
        Flows flows = new Flows();
        boolean[] listed = new boolean[m.size()];
        listed[target] = true;
        for (int i = 0; i < sources.length; i++) {
            flows.add(sources[i], target, gives[i]);
            listed[sources[i]] = true;
        }
        return m.plan(Plan.Kind.RESHARD, flows, listed);
    }

    /**
     * Plans moving exactly {@code slots} to master {@code to}. Slots {@code to} already serves are left out of the
     * plan; so moving an empty set, or slots that are all on {@code to}, gives an empty plan.
     *
     * @param to the master that receives: node id, unique id prefix or {@code host:port}
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if {@code to} matches no node or several or is not
     *     a master, or if no master serves some of the slots (they are named; {@code reslot fix} covers them)
     * @throws NullPointerException if an argument is null
     */
    public static Plan moveSlots(Topology t, SlotSet slots, String to) {
        Objects.requireNonNull(slots, "slots");
        Masters m = new Masters(t);
        int target = m.resolve(to, "the target of move-slots");
        int[] owners = m.owners();
        int[] perSource = new int[m.size()];
        int uncovered = 0;
        for (int s = slots.next(0); s >= 0; s = slots.next(s + 1)) {
            if (owners[s] < 0) {
                uncovered++;
            } else if (owners[s] != target) {
                perSource[owners[s]]++;
            }
        }
        if (uncovered > 0) {
            SlotSet missing = slots.minus(m.covered());
            boolean one = missing.size() == 1;
            throw badInput("cannot move slot" + (one ? " " : "s ") + missing + ": no master serves "
                    + (one ? "it" : "them") + "; run `reslot fix` to cover " + (one ? "it" : "them") + " first");
        }
        // Group the slots by owner in one pass: each owner's slots go to its own stretch of one array.
        int[] start = new int[m.size() + 1];
        for (int i = 0; i < m.size(); i++) {
            start[i + 1] = start[i] + perSource[i];
        }
        int[] grouped = new int[start[m.size()]];
        int[] fill = Arrays.copyOf(start, m.size());
        for (int s = slots.next(0); s >= 0; s = slots.next(s + 1)) {
            if (owners[s] != target) {
                grouped[fill[owners[s]]++] = s;
            }
        }
        Flows flows = new Flows();
        boolean[] listed = new boolean[m.size()];
        listed[target] = true;
        for (int i = 0; i < m.size(); i++) {
            if (perSource[i] > 0) {
                flows.add(i, target, SlotSet.of(Arrays.copyOfRange(grouped, start[i], start[i + 1])));
                listed[i] = true;
            }
        }
        return m.plan(Plan.Kind.MOVE_SLOTS, flows, listed);
    }

    /**
     * Plans evening out the slots the way {@code redis-cli --cluster rebalance} means it. The masters that take part
     * are those serving slots, plus those serving none when {@link RebalanceOptions#useEmptyMasters()} is set or
     * when they are given a weight. Each one's share of the slots they serve together is proportional to its weight
     * (largest remainder, ties to the master first in address order), so the shares add up exactly. When no master
     * is more than {@link RebalanceOptions#thresholdPercent()} away from its share, the plan is empty. Otherwise
     * every master above its share gives exactly its surplus and every master below receives exactly its deficit:
     * the fewest slot moves possible. Givers and receivers are paired in address order.
     *
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if a weight's reference matches no node or several,
     *     or is not a master, two references name the same master, or the masters that take part and serve slots
     *     all have weight 0
     * @throws NullPointerException if an argument is null
     */
    public static Plan rebalance(Topology t, RebalanceOptions o) {
        Objects.requireNonNull(o, "o");
        Masters m = new Masters(t);
        double[] weight = new double[m.size()];
        Arrays.fill(weight, RebalanceOptions.DEFAULT_WEIGHT);
        String[] weightedAs = new String[m.size()];
        for (Map.Entry<String, Double> e : o.weights().entrySet()) {
            int i = m.resolve(e.getKey(), "weighted node");
            if (weightedAs[i] != null) {
                throw badInput("two weights name " + m.name(i) + " ('" + weightedAs[i] + "' and '" + e.getKey()
                        + "'); give one");
            }
            weightedAs[i] = e.getKey();
            weight[i] = e.getValue();
        }
        boolean[] involved = new boolean[m.size()];
        int[] members = new int[m.size()];
        int n = 0;
        long total = 0;
        for (int i = 0; i < m.size(); i++) {
            if (m.count(i) > 0 || o.useEmptyMasters() || weightedAs[i] != null) {
                involved[i] = true;
                members[n++] = i;
                total += m.count(i);
            }
        }
        members = Arrays.copyOf(members, n);
        BigInteger[] exact = exactWeights(members, weight);
        if (total > 0 && Arrays.stream(exact).allMatch(w -> w.signum() == 0)) {
            throw badInput("every master taking part in the rebalance has weight 0, so no master can take their "
                    + total + " slots; give one a weight above 0");
        }
        int[] share = apportion((int) total, exact);
        if (!beyondThreshold(m, members, share, o.thresholdPercent())) {
            return m.plan(Plan.Kind.REBALANCE, new Flows(), involved);
        }
        // Pair givers and receivers in address order, like merging two sorted lists: each step settles one of them,
        // so there are fewer transfers than masters.
        int[] surplus = new int[n];
        for (int k = 0; k < n; k++) {
            surplus[k] = m.count(members[k]) - share[k];
        }
        Flows flows = new Flows();
        int giver = next(surplus, 0, +1);
        int receiver = next(surplus, 0, -1);
        while (giver < n && receiver < n) {
            int moved = Math.min(surplus[giver], -surplus[receiver]);
            flows.add(members[giver], members[receiver], moved);
            surplus[giver] -= moved;
            surplus[receiver] += moved;
            giver = next(surplus, giver, +1);
            receiver = next(surplus, receiver, -1);
        }
        return m.plan(Plan.Kind.REBALANCE, flows, involved);
    }

    /**
     * Plans moving every slot off master {@code node}. The slots go to the other masters that serve slots (to all
     * other masters when none does), emptiest first: the receivers that get slots end up within one slot of each
     * other and at least as high as every receiver that gets none. Slots already on the receivers do not move.
     * Among receivers that end equally full, the one first in address order gets the spare slot. A master that
     * serves no slots gives an empty plan.
     *
     * @param node the master to empty: node id, unique id prefix or {@code host:port}
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if {@code node} matches no node or several, is not
     *     a master, or is the only master
     * @throws NullPointerException if an argument is null
     */
    public static Plan drain(Topology t, String node) {
        Masters m = new Masters(t);
        int drained = m.resolve(node, "the node to drain");
        if (m.size() == 1) {
            throw badInput("cannot drain " + m.name(drained) + ": it is the only master; add a master first");
        }
        boolean othersServe = false;
        for (int i = 0; i < m.size(); i++) {
            othersServe |= i != drained && m.count(i) > 0;
        }
        // Receivers sorted emptiest first, ties in address order: count in the high half, index in the low half.
        long[] byCount = new long[m.size() - 1];
        int r = 0;
        boolean[] listed = new boolean[m.size()];
        listed[drained] = true;
        for (int i = 0; i < m.size(); i++) {
            if (i != drained && (!othersServe || m.count(i) > 0)) {
                byCount[r++] = (long) m.count(i) << 32 | i;
                listed[i] = true;
            }
        }
        byCount = Arrays.copyOf(byCount, r);
        Arrays.sort(byCount);
        // Water-fill: find how many of the emptiest receivers the slots can raise to a common level.
        long slots = m.count(drained);
        long below = 0;
        int filled = 0;
        for (int j = 0; j < r; j++) {
            long count = byCount[j] >>> 32;
            if ((j + 1) * count - (below + count) > slots) {
                break;
            }
            below += count;
            filled = j + 1;
        }
        int[] receivers = new int[filled];
        for (int j = 0; j < filled; j++) {
            receivers[j] = (int) byCount[j];
        }
        Arrays.sort(receivers);
        long level = (below + slots) / filled;
        long spare = (below + slots) % filled;
        Flows flows = new Flows();
        for (int j = 0; j < filled; j++) {
            long end = level + (j < spare ? 1 : 0);
            flows.add(drained, receivers[j], (int) (end - m.count(receivers[j])));
        }
        return m.plan(Plan.Kind.DRAIN, flows, listed);
    }

    /**
     * Splits {@code total} into whole parts proportional to {@code weights} by largest remainder: everyone gets the
     * whole part of its exact quota, and the slots left over go one each to the largest fractional parts, ties to
     * the lower index. The parts add up to {@code total}; all zero when the weights are.
     */
    static int[] apportion(int total, BigInteger[] weights) {
        BigInteger sum = BigInteger.ZERO;
        for (BigInteger w : weights) {
            sum = sum.add(w);
        }
        int[] parts = new int[weights.length];
        if (sum.signum() == 0) {
            return parts;
        }
        BigInteger[] remainders = new BigInteger[weights.length];
        BigInteger whole = BigInteger.valueOf(total);
        int left = total;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = whole.multiply(weights[i]).divideAndRemainder(sum);
            parts[i] = qr[0].intValueExact();
            remainders[i] = qr[1];
            left -= parts[i];
        }
        if (left > 0) {
            Integer[] order = new Integer[weights.length];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.<Integer, BigInteger>comparing(i -> remainders[i]).reversed()
                    .thenComparingInt(i -> i));
            for (int k = 0; k < left; k++) {
                parts[order[k]]++;
            }
        }
        return parts;
    }

    /** The weights of {@code members} as integers in exact proportion (decimal weights scaled to a common scale). */
    private static BigInteger[] exactWeights(int[] members, double[] weight) {
        BigDecimal[] decimal = new BigDecimal[members.length];
        int scale = 0;
        for (int k = 0; k < members.length; k++) {
            // valueOf goes through the shortest decimal that names the double, so 0.1 stays 0.1
            decimal[k] = BigDecimal.valueOf(weight[members[k]]);
            scale = Math.max(scale, decimal[k].scale());
        }
        BigInteger[] exact = new BigInteger[members.length];
        for (int k = 0; k < members.length; k++) {
            exact[k] = decimal[k].setScale(scale).unscaledValue();
        }
        return exact;
    }

    /**
     * Whether some member is more than {@code threshold} percent away from its share, measured as redis-cli does:
     * {@code |100 - 100 * share / slots|}. A member with no slots and a share above 0 is infinitely far.
     */
    private static boolean beyondThreshold(Masters m, int[] members, int[] share, double threshold) {
        for (int k = 0; k < members.length; k++) {
            int slots = m.count(members[k]);
            if (slots == share[k]) {
                continue;
            }
            if (slots == 0 || Math.abs(100 - 100.0 * share[k] / slots) > threshold) {
                return true;
            }
        }
        return false;
    }

    /** The first position from {@code from} whose surplus has the sign {@code sign}, or the length if none. */
    private static int next(int[] surplus, int from, int sign) {
        int k = from;
        while (k < surplus.length && Integer.signum(surplus[k]) != sign) {
            k++;
        }
        return k;
    }

    private static MigrateException badInput(String message) {
        return new MigrateException(MigrateErrorCode.BAD_INPUT, message);
    }

    /**
     * What moves, before it is turned into transfers: per source/target pair either a number of slots (the source
     * gives its lowest) or a named set.
     */
    private static final class Flows {

        private final List<Flow> list = new ArrayList<>();

        void add(int source, int target, int count) {
            if (count > 0) {
                list.add(new Flow(source, target, count, null));
            }
        }

        void add(int source, int target, SlotSet slots) {
            list.add(new Flow(source, target, slots.size(), slots));
        }
    }

    private record Flow(int source, int target, int count, SlotSet slots) {
    }

    /** The masters of a topology in address order, with their slot counts; positions in it are master indexes. */
    private static final class Masters {

        private final Topology topology;
        private final List<NodeInfo> nodes;
        private final int[] counts;
        private final Map<String, Integer> indexById;

        Masters(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            this.nodes = topology.masters();
            this.counts = new int[nodes.size()];
            this.indexById = new HashMap<>(nodes.size() * 2);
            for (int i = 0; i < nodes.size(); i++) {
                counts[i] = nodes.get(i).slots().size();
                indexById.put(nodes.get(i).id(), i);
            }
        }

        int size() {
            return nodes.size();
        }

        int count(int master) {
            return counts[master];
        }

        /** {@code host:port (id prefix)}, for messages. */
        String name(int master) {
            return name(nodes.get(master));
        }

        private static String name(NodeInfo node) {
            return node.address() + " (" + node.id().substring(0, Math.min(8, node.id().length())) + ")";
        }

        /**
         * The index of the master {@code ref} names.
         *
         * @param role what the node is for, for the message
         * @throws MigrateException BAD_INPUT if {@code ref} names no node, several, or a node that is not a master
         */
        int resolve(String ref, String role) {
            Objects.requireNonNull(ref, role);
            NodeInfo node = topology.node(ref);
            Integer index = indexById.get(node.id());
            if (index == null) {
                throw badInput(role + " '" + ref + "' is " + name(node) + ", which is "
                        + (node.isReplica() ? "a replica" : "not a master") + "; name a master");
            }
            return index;
        }

        /** Slot → index of the master serving it, -1 for none; the first in address order if several claim it. */
        int[] owners() {
            int[] owners = new int[KeySlot.SLOT_COUNT];
            Arrays.fill(owners, -1);
            for (int i = nodes.size() - 1; i >= 0; i--) {
                SlotSet slots = nodes.get(i).slots();
                for (int s = slots.next(0); s >= 0; s = slots.next(s + 1)) {
                    owners[s] = i;
                }
            }
            return owners;
        }

        /** The slots some master serves. */
        SlotSet covered() {
            SlotSet covered = SlotSet.empty();
            for (NodeInfo node : nodes) {
                covered = covered.union(node.slots());
            }
            return covered;
        }

        /** Turns flows into the plan's transfers (in source, then target order) and the listed masters' shares. */
        Plan plan(Plan.Kind kind, Flows flows, boolean[] listed) {
            List<Flow> sorted = new ArrayList<>(flows.list);
            sorted.sort(Comparator.comparingInt(Flow::source).thenComparingInt(Flow::target));
            int[] after = counts.clone();
            List<Plan.Transfer> transfers = new ArrayList<>(sorted.size());
            int source = -1;
            int cursor = 0;
            for (Flow flow : sorted) {
                if (flow.source() != source) {
                    source = flow.source();
                    cursor = 0;
                }
                SlotSet slots = flow.slots();
                if (slots == null) {
                    // The source's lowest slots not yet given to an earlier target.
                    SlotSet from = nodes.get(source).slots();
                    int[] taken = new int[flow.count()];
                    for (int k = 0; k < taken.length; k++) {
                        cursor = from.next(cursor);
                        taken[k] = cursor++;
                    }
                    slots = SlotSet.of(taken);
                }
                NodeInfo s = nodes.get(source);
                NodeInfo t = nodes.get(flow.target());
                transfers.add(new Plan.Transfer(s.id(), s.address(), t.id(), t.address(), slots));
                after[source] -= slots.size();
                after[flow.target()] += slots.size();
            }
            List<Plan.Share> shares = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (listed[i]) {
                    shares.add(new Plan.Share(nodes.get(i).id(), nodes.get(i).address(), counts[i], after[i]));
                }
            }
            return new Plan(kind, transfers, shares);
        }
    }
}
