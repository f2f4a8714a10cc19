package io.reslot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node's {@code CLUSTER NODES} reply, reduced to what {@link ReshardBenchmark} checks: who owns each slot, and
 * which slots are open ({@code [slot->-id]} migrating or {@code [slot-<-id]} importing). Parsed here rather than with
 * reslot's own topology code, so that the check does not share bugs with the tool under test.
 *
 * @param owners    node id owning each slot, {@code null} where none does; length 16384
 * @param masters   ids of the masters, in reply order
 * @param openSlots the raw {@code [...]} tokens, empty when no slot is open
 */
record ClusterView(String[] owners, List<String> masters, List<String> openSlots) {
    static final int SLOTS = 16384;

    /**
     * @throws IllegalArgumentException if a line is too short or a slot token is not a slot or range
     */
    static ClusterView parse(String clusterNodes) {
        String[] owners = new String[SLOTS];
        List<String> masters = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            if (f.length < 8) {
                throw new IllegalArgumentException("not a CLUSTER NODES line: '" + line + "'");
            }
            String id = f[0];
            if (Arrays.asList(f[2].split(",")).contains("master")) {
                masters.add(id);
            }
            for (int i = 8; i < f.length; i++) {
                String token = f[i];
                if (token.startsWith("[")) {
                    open.add(token);
                    continue;
                }
                int dash = token.indexOf('-');
                int first = slot(dash < 0 ? token : token.substring(0, dash), line);
                int last = dash < 0 ? first : slot(token.substring(dash + 1), line);
                Arrays.fill(owners, first, last + 1, id);
            }
        }
        return new ClusterView(owners, masters, open);
    }

    /** @return how many slots {@code nodeId} owns */
    int slotCount(String nodeId) {
        int n = 0;
        for (String owner : owners) {
            if (nodeId.equals(owner)) {
                n++;
            }
        }
        return n;
    }

    /** @return whether both views give every slot the same owner */
    boolean sameOwners(ClusterView other) {
        return Arrays.equals(owners, other.owners);
    }

    /** @return the slots whose owner differs between {@code before} and this view */
    List<Integer> changedSince(ClusterView before) {
        List<Integer> changed = new ArrayList<>();
        for (int s = 0; s < SLOTS; s++) {
            if (owners[s] == null ? before.owners[s] != null : !owners[s].equals(before.owners[s])) {
                changed.add(s);
            }
        }
        return changed;
    }

    /** @return the lowest {@code n} slots {@code nodeId} owns, ascending */
    List<Integer> lowestSlots(String nodeId, int n) {
        List<Integer> slots = new ArrayList<>();
        for (int s = 0; s < SLOTS && slots.size() < n; s++) {
            if (nodeId.equals(owners[s])) {
                slots.add(s);
            }
        }
        return slots;
    }

    private static int slot(String text, String line) {
        try {
            int slot = Integer.parseInt(text);
            if (slot >= 0 && slot < SLOTS) {
                return slot;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad slot '" + text + "' in CLUSTER NODES line '" + line + "'");
    }
}
