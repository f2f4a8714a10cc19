package io.reslot.bench;

import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import io.reslot.slot.KeySlot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link ReshardBenchmark} moves: the data loaded, the cluster it is loaded into and the reshard asked for.
 * Every tool gets the same scenario on a fresh cluster.
 */
enum Scenario {
    /**
     * Untagged 100-byte keys over all slots; 3 masters plus one empty master added; a third of all slots (5461) move
     * from the three to the new one. Per-slot overhead dominates.
     */
    SPREAD(100, true, KeySlot.SLOT_COUNT / 3),
    /** Every key in slot 0 (one hash tag); that one slot moves from its master to the next. Per-key cost dominates. */
    HOT(100, false, 1),
    /**
     * Like {@link #SPREAD} with 10 KB values: each {@code MIGRATE} carries up to batch × 10 KB. At the default
     * 20,000 keys (about 1.2 per slot) per-slot overhead still dominates; bandwidth would need ~100 keys per slot,
     * 16 GB of values.
     */
    LARGE(10 * 1024, true, KeySlot.SLOT_COUNT / 3);

    /** A hash tag of slot 0, the lowest slot, so that "the first slot of its owner" (what redis-cli moves) is it. */
    static final String HOT_TAG = tagOfSlot(0);

    private final int valueSize;
    private final boolean addsEmptyMaster;
    private final int slotsToMove;

    Scenario(int valueSize, boolean addsEmptyMaster, int slotsToMove) {
        this.valueSize = valueSize;
        this.addsEmptyMaster = addsEmptyMaster;
        this.slotsToMove = slotsToMove;
    }

    /**
     * @param name {@code spread}, {@code hot} or {@code large}
     * @throws IllegalArgumentException naming the unknown scenario
     */
    static Scenario of(String name) {
        for (Scenario s : values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; known: spread, hot, large");
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    int valueSize() {
        return valueSize;
    }

    /** @return the name of the {@code i}-th loaded key */
    String key(int i) {
        return this == HOT ? "{" + HOT_TAG + "}:" + i : "key:" + i;
    }

    /** @return how many of the first {@code keys} keys fall in each slot */
    int[] keysPerSlot(int keys) {
        int[] perSlot = new int[KeySlot.SLOT_COUNT];
        if (this == HOT) {
            perSlot[0] = keys;
        } else {
            for (int i = 0; i < keys; i++) {
                perSlot[KeySlot.of(key(i))]++;
            }
        }
        return perSlot;
    }

    /** Starts the cluster this scenario runs on, with {@code replicas} per master; the caller closes it. */
    LocalCluster start(RedisServerBinary redis, int replicas) {
        LocalCluster cluster = LocalCluster.builder().masters(3).replicas(replicas).redis(redis).start();
        try {
            if (addsEmptyMaster) {
                cluster.addMaster();
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The reshard to ask for, given the cluster as loaded.
     *
     * @param seed  {@code host:port} of a node to hand the tools
     * @param view  the slot owners before the move
     */
    Move move(String seed, ClusterView view) {
        String source = view.owners()[0];
        List<String> from;
        String to;
        if (this == HOT) {
            from = List.of(source);
            int next = (view.masters().indexOf(source) + 1) % view.masters().size();
            to = view.masters().get(next);
        } else {
            from = List.of();
            to = view.masters().stream().filter(m -> view.slotCount(m) == 0).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no empty master to reshard to"));
        }
        return new Move(seed, from, to, slotsToMove, predictMovingSlots(view, from, to));
    }

    /**
     * The slots that will move if each source gives its lowest slots in proportion to the slots it serves, as both
     * redis-cli and reslot's planner do (they round differently, by a slot or two). The concurrent client works on
     * keys of these slots.
     */
    private List<Integer> predictMovingSlots(ClusterView view, List<String> from, String to) {
        List<String> sources = from.isEmpty()
                ? view.masters().stream().filter(m -> !m.equals(to) && view.slotCount(m) > 0).toList() : from;
        long served = sources.stream().mapToLong(view::slotCount).sum();
        List<Integer> slots = new ArrayList<>();
        for (String source : sources) {
            slots.addAll(view.lowestSlots(source, (int) (slotsToMove * (long) view.slotCount(source) / served)));
        }
        return slots.isEmpty() ? view.lowestSlots(sources.get(0), 1) : slots;
    }

    private static String tagOfSlot(int slot) {
        for (int i = 0; i < 10_000_000; i++) {
            if (KeySlot.of("hot" + i) == slot) {
                return "hot" + i;
            }
        }
        throw new IllegalStateException("no tag hot<i> hashes to slot " + slot);
    }

    /**
     * A reshard request, the same for every tool.
     *
     * @param seed          {@code host:port} of a node
     * @param from          source node ids; empty means every master with slots other than the target
     * @param to            target node id
     * @param slots         how many slots to move
     * @param predictedSlots the slots expected to move (for the concurrent client)
     */
    record Move(String seed, List<String> from, String to, int slots, List<Integer> predictedSlots) {
        /** @return {@code all} or the source ids joined with commas, as redis-cli's {@code --cluster-from} takes */
        String fromArgument() {
            return from.isEmpty() ? "all" : String.join(",", from);
        }
    }
}
