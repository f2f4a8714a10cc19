package io.reslot.sandbox.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}, as seen by one node. Open slots ({@code [s->-id]}, {@code [s-<-id]}) are
 * left out of {@link #slots()}: only the node that has them open lists them.
 *
 * @param id       node id
 * @param host     announced address, empty when unknown
 * @param port     client port, 0 when unknown
 * @param flags    {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, {@code handshake},
 *                 {@code noaddr}, {@code nofailover}, {@code noflags}
 * @param masterId id of the master when this is a replica, otherwise null
 * @param linkState {@code connected} or {@code disconnected}
 * @param slots    slots this node serves
 */
public record NodeEntry(String id, String host, int port, Set<String> flags, String masterId, String linkState,
                        BitSet slots) {

    /** @return whether the {@code master} flag is set */
    public boolean isMaster() {
        return flags.contains("master");
    }

    /** @return whether the {@code slave} flag is set */
    public boolean isReplica() {
        return flags.contains("slave");
    }

    /** @return whether this is the line of the node that was asked */
    public boolean isMyself() {
        return flags.contains("myself");
    }

    /** @return the first of {@code fail}, {@code fail?}, {@code handshake}, {@code noaddr} that is set, or null */
    public String troubleFlag() {
        for (String flag : List.of("fail", "fail?", "handshake", "noaddr")) {
            if (flags.contains(flag)) {
                return flag;
            }
        }
        return null;
    }

    /**
     * Parses the reply of {@code CLUSTER NODES} (Redis 6.2 and 7.x formats).
     *
     * @throws IllegalArgumentException naming the line if a line has fewer than 8 fields
     */
    public static List<NodeEntry> parseAll(String clusterNodes) {
        List<NodeEntry> entries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            if (!line.isBlank()) {
                entries.add(parse(line.trim()));
            }
        }
        return entries;
    }

    /**
     * Parses one line of {@code CLUSTER NODES}.
     *
     * @throws IllegalArgumentException naming the line if it has fewer than 8 fields
     */
    public static NodeEntry parse(String line) {
        String[] f = line.split(" +");
        Checks.requireArgument(f.length >= 8, "not a CLUSTER NODES line: '%s'", line);
        // ip:port@cport, and on 7.x optionally ",hostname" after it
        String address = f[1];
        int comma = address.indexOf(',');
        if (comma >= 0) {
            address = address.substring(0, comma);
        }
        int at = address.indexOf('@');
        if (at >= 0) {
            address = address.substring(0, at);
        }
        int colon = address.lastIndexOf(':');
        String host = colon >= 0 ? address.substring(0, colon) : address;
        int port = 0;
        try {
            port = colon >= 0 ? Integer.parseInt(address.substring(colon + 1)) : 0;
        } catch (NumberFormatException e) {
            port = 0;
        }
        BitSet slots = new BitSet(SlotRanges.SLOTS);
        for (int i = 8; i < f.length; i++) {
            String token = f[i];
            if (token.startsWith("[")) {
                continue;
            }
            int dash = token.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? token : token.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(token.substring(dash + 1));
            slots.set(first, last + 1);
        }
        return new NodeEntry(f[0], host, port, Set.of(f[2].split(",")), "-".equals(f[3]) ? null : f[3], f[7],
                slots);
    }
}
