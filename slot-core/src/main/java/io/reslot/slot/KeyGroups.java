package io.reslot.slot;

import java.util.Arrays;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * Keys grouped by slot, or by the node that owns their slot, as arrays of key indexes: no boxing, no hash maps. A
 * counting sort over the groups builds it in two passes over the keys, and the keys inside a group keep the order
 * the caller gave them in.
 *
 * <pre>{@code
 * int[] slots = KeySlot.fill(keys, new int[keys.length]);
 * KeyGroups groups = KeyGroups.bySlot(slots);
 * for (int g = 0; g < groups.size(); g++) {
 *     int slot = groups.id(g);
 *     for (int p = groups.from(g); p < groups.to(g); p++) {
 *         byte[] key = keys[groups.keyIndex(p)];
 *     }
 * }
 * }</pre>
 *
 * <p>Only non-empty groups are listed, in ascending order of their id (slot or node index). Instances are
 * immutable.
 */
public final class KeyGroups {

    private final int[] ids;
    private final int[] bounds;
    private final int[] order;

    private KeyGroups(int[] ids, int[] bounds, int[] order) {
        this.ids = ids;
        this.bounds = bounds;
        this.order = order;
    }

    /**
     * Groups keys by slot; {@code slots[i]} is the slot of key {@code i}.
     *
     * @throws NullPointerException if {@code slots} is null
     * @throws IllegalArgumentException naming the key index if a slot is outside 0–16383
     */
    public static KeyGroups bySlot(int[] slots) {
        return sort(slots, null, KeySlot.SLOT_COUNT);
    }

    /**
     * Groups keys by the node that owns their slot. {@code slots[i]} is the slot of key {@code i};
     * {@code nodeOfSlot[s]} is the index (from 0) of the node owning slot {@code s}, as in a routing table built from
     * {@code CLUSTER SLOTS}. Group ids are node indexes.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code nodeOfSlot} does not have 16384 entries, a key's slot is outside
     *     0–16383, or a key's slot has a negative node index (no owner)
     */
    public static KeyGroups byNode(int[] slots, int[] nodeOfSlot) {
        requireArgument(nodeOfSlot.length == KeySlot.SLOT_COUNT,
                "nodeOfSlot has %d entries; it needs one per slot (16384)", nodeOfSlot.length);
        int nodes = 0;
        for (int node : nodeOfSlot) {
            nodes = Math.max(nodes, node + 1);
        }
        return sort(slots, nodeOfSlot, nodes);
    }

    private static KeyGroups sort(int[] slots, int[] nodeOfSlot, int groupCount) {
        int n = slots.length;
        int[] groupOfKey = nodeOfSlot == null ? slots : new int[n];
        int[] start = new int[groupCount + 1];
        for (int i = 0; i < n; i++) {
            int slot = slots[i];
            if (slot < 0 || slot > KeySlot.MAX_SLOT) {
                throw new IllegalArgumentException("key " + i + " has slot " + slot + ", out of range 0-16383");
            }
            int group = slot;
            if (nodeOfSlot != null) {
                group = nodeOfSlot[slot];
                if (group < 0) {
                    throw new IllegalArgumentException("key " + i + " is in slot " + slot + ", which has no node");
                }
                groupOfKey[i] = group;
            }
            start[group + 1]++;
        }
        int nonEmpty = 0;
        for (int g = 0; g < groupCount; g++) {
            if (start[g + 1] != 0) {
                nonEmpty++;
            }
            start[g + 1] += start[g];
        }
        int[] ids = new int[nonEmpty];
        int[] bounds = new int[nonEmpty + 1];
        for (int g = 0, k = 0; g < groupCount; g++) {
            if (start[g + 1] != start[g]) {
                ids[k] = g;
                bounds[++k] = start[g + 1];
            }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[start[groupOfKey[i]]++] = i;
        }
        return new KeyGroups(ids, bounds, order);
    }

    /** The number of non-empty groups. */
    public int size() {
        return ids.length;
    }

    /** The number of keys grouped. */
    public int keyCount() {
        return order.length;
    }

    /**
     * The slot or node index of the {@code g}-th non-empty group.
     *
     * @throws IndexOutOfBoundsException if {@code g} is not in {@code [0, size())}
     */
    public int id(int g) {
        return ids[g];
    }

    /** The first position of group {@code g}, for {@link #keyIndex(int)}. */
    public int from(int g) {
        return bounds[g];
    }

    /** The position after the last of group {@code g}. */
    public int to(int g) {
        return bounds[g + 1];
    }

    /** The index, in the caller's keys, of the key at {@code position} (from 0 to {@code keyCount()}). */
    public int keyIndex(int position) {
        return order[position];
    }

    /** A copy of the key indexes of group {@code g}, in the caller's order. */
    public int[] keyIndexes(int g) {
        return Arrays.copyOfRange(order, bounds[g], bounds[g + 1]);
    }
}
