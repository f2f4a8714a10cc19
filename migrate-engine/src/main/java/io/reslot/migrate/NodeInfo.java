package io.reslot.migrate;

import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import io.reslot.slot.SlotSet;

/**
 * One node as a line of {@code CLUSTER NODES} describes it (Redis 6.2 and 7.x formats).
 *
 * @param id the node id (40 hex characters)
 * @param host the announced IP or host, empty when the node has no address yet ({@code noaddr}, {@code handshake})
 * @param port the client port, 0 when unknown
 * @param flags {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, {@code handshake},
 *     {@code noaddr}, {@code nofailover}, {@code noflags}
 * @param masterId the id of its master for a replica, otherwise {@code null}
 * @param configEpoch the node's config epoch
 * @param connected whether the link to it is {@code connected}, as seen by the node that printed the line
 * @param slots the slots it serves
 * @param migrating open slots being moved away: slot → id of the target ({@code [s->-id]}); only a node's own line
 *     shows them
 * @param importing open slots being moved in: slot → id of the source ({@code [s-<-id]})
 */
public record NodeInfo(String id, String host, int port, Set<String> flags, String masterId, long configEpoch,
        boolean connected, SlotSet slots, SortedMap<Integer, String> migrating, SortedMap<Integer, String> importing) {

    /**
     * @throws NullPointerException if an argument other than {@code masterId} is null
     */
    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        flags = Set.copyOf(flags);
        Objects.requireNonNull(slots, "slots");
        migrating = Collections.unmodifiableSortedMap(new TreeMap<>(migrating));
        importing = Collections.unmodifiableSortedMap(new TreeMap<>(importing));
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether the node is a master. */
    public boolean isMaster() {
        return flags.contains("master");
    }

    /** Whether the node is a replica. */
    public boolean isReplica() {
        return flags.contains("slave");
    }

    /** Whether this line describes the node that printed it. */
    public boolean isMyself() {
        return flags.contains("myself");
    }

    /** Whether the printing node considers it failed or possibly failed ({@code fail}, {@code fail?}). */
    public boolean isFailing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    /** Whether the node is not fully known yet ({@code handshake} or {@code noaddr}). */
    public boolean isIncomplete() {
        return flags.contains("handshake") || flags.contains("noaddr");
    }

    /** Whether it has a slot open, migrating or importing. */
    public boolean hasOpenSlots() {
        return !migrating.isEmpty() || !importing.isEmpty();
    }

    /** The same node with {@code myself} removed, so that lines printed by different nodes compare equal. */
    NodeInfo withoutMyself() {
        if (!isMyself()) {
            return this;
        }
        Set<String> others = new HashSet<>(flags);
        others.remove("myself");
        return new NodeInfo(id, host, port, others, masterId, configEpoch, connected, slots, migrating, importing);
    }

    @Override
    public String toString() {
        return id.substring(0, Math.min(8, id.length())) + " " + address() + " " + flags + " slots " + slots
                + (hasOpenSlots() ? " migrating " + migrating + " importing " + importing : "");
    }
}
