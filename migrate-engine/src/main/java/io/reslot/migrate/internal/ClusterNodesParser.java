package io.reslot.migrate.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.slot.SlotRange;
import io.reslot.slot.SlotSet;

/**
 * Parses the reply of {@code CLUSTER NODES}, one node per line:
 * {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...},
 * where a slot item is {@code N}, {@code N-M}, {@code [N->-<id>]} (migrating to) or {@code [N-<-<id>]} (importing
 * from). Redis 6.2 prints {@code ip:port@cport}; 7.x may add {@code ,hostname}; a node without an address yet prints
 * {@code :0@0} (7.x) or {@code :0} (older).
 */
public final class ClusterNodesParser {

    private ClusterNodesParser() {
    }

    /**
     * Parses every line of {@code reply}; blank lines are skipped.
     *
     * @throws MigrateException {@link MigrateErrorCode#PROTOCOL} naming the line if a line is malformed
     */
    public static List<NodeInfo> parse(String reply) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String line : reply.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                nodes.add(parseLine(trimmed));
            }
        }
        return nodes;
    }

    static NodeInfo parseLine(String line) {
        String[] f = line.split(" ");
        if (f.length < 8) {
            throw malformed(line, "expected at least 8 fields, found " + f.length);
        }
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
        if (colon < 0) {
            throw malformed(line, "address '" + f[1] + "' has no port");
        }
        String host = address.substring(0, colon);
        int port = parseInt(address.substring(colon + 1), line);
        Set<String> flags = new HashSet<>(Arrays.asList(f[2].split(",")));
        String masterId = f[3].equals("-") ? null : f[3];
        long configEpoch = parseLong(f[6], line);
        boolean connected = f[7].equals("connected");
        List<SlotRange> ranges = new ArrayList<>();
        TreeMap<Integer, String> migrating = new TreeMap<>();
        TreeMap<Integer, String> importing = new TreeMap<>();
        for (int i = 8; i < f.length; i++) {
            String item = f[i];
            if (item.startsWith("[")) {
                parseOpenSlot(item, line, migrating, importing);
            } else {
                try {
                    ranges.add(SlotRange.parse(item));
                } catch (IllegalArgumentException e) {
                    throw malformed(line, e.getMessage());
                }
            }
        }
        return new NodeInfo(f[0], host, port, flags, masterId, configEpoch, connected, SlotSet.ofRanges(ranges),
                migrating, importing);
    }

    private static void parseOpenSlot(String item, String line, TreeMap<Integer, String> migrating,
            TreeMap<Integer, String> importing) {
        if (!item.endsWith("]")) {
            throw malformed(line, "open slot '" + item + "' is not closed by ']'");
        }
        String body = item.substring(1, item.length() - 1);
        int to = body.indexOf("->-");
        int from = body.indexOf("-<-");
        if (to > 0) {
            migrating.put(parseInt(body.substring(0, to), line), body.substring(to + 3));
        } else if (from > 0) {
            importing.put(parseInt(body.substring(0, from), line), body.substring(from + 3));
        } else {
            throw malformed(line, "open slot '" + item + "' is neither [N->-id] nor [N-<-id]");
        }
    }

    private static int parseInt(String text, String line) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(line, "'" + text + "' is not a number");
        }
    }

    private static long parseLong(String text, String line) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw malformed(line, "'" + text + "' is not a number");
        }
    }

    private static MigrateException malformed(String line, String why) {
        return new MigrateException(MigrateErrorCode.PROTOCOL, "unexpected CLUSTER NODES line (" + why + "): " + line);
    }
}
