package io.reslot.sandbox.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders the {@code redis.conf} of one sandbox node. */
public final class NodeConfig {
    /** Directives the sandbox relies on; options may not override them. */
    public static final Set<String> RESERVED = Set.of(
            "port", "bind", "cluster-enabled", "cluster-config-file", "dir", "daemonize", "cluster-port",
            "include", "logfile", "requirepass", "masterauth", "tls-port");

    /**
     * How a node is secured: the default user's password (also what replicas authenticate to their master with), and
     * TLS on every port (clients, cluster bus, replication) with one certificate.
     *
     * @param password the {@code requirepass}, or {@code null} for none
     * @param tls the certificate and key, or {@code null} for plain TCP
     */
    public record Security(String password, TlsCertificates tls) {
        /** No password, no TLS. */
        public static final Security NONE = new Security(null, null);

        @Override
        public String toString() {
            return "Security{password=" + (password == null ? "none" : "***") + ", tls=" + (tls != null) + "}";
        }
    }

    private NodeConfig() {
    }

    /**
     * @param port        client port; the cluster bus port is {@code port + 10000}
     * @param directory   the node's working directory ({@code nodes.conf} lives there)
     * @param nodeTimeout {@code cluster-node-timeout}
     * @param overrides   further directives; they replace a default of the same name or are appended
     * @return the file's text, one directive per line
     * @throws IllegalArgumentException if an override names a reserved directive or contains a line break
     */
    public static String render(int port, Path directory, Duration nodeTimeout, Map<String, String> overrides) {
        return render(port, directory, nodeTimeout, overrides, Security.NONE);
    }

    /**
     * As {@link #render(int, Path, Duration, Map)}, securing the node: with a password, {@code requirepass} and
     * {@code masterauth} (in the file, never on a command line); with TLS, {@code port 0} and {@code tls-port} on
     * {@code port}, {@code tls-cluster} and {@code tls-replication}, clients not asked for certificates.
     */
    public static String render(int port, Path directory, Duration nodeTimeout, Map<String, String> overrides,
                                Security security) {
        Map<String, String> directives = new LinkedHashMap<>();
        if (security.tls() == null) {
            directives.put("port", Integer.toString(port));
        } else {
            directives.put("port", "0");
            directives.put("tls-port", Integer.toString(port));
            directives.put("tls-cert-file", quote(security.tls().certificate().toAbsolutePath().toString()));
            directives.put("tls-key-file", quote(security.tls().privateKey().toAbsolutePath().toString()));
            directives.put("tls-ca-cert-file", quote(security.tls().certificate().toAbsolutePath().toString()));
            directives.put("tls-cluster", "yes");
            directives.put("tls-replication", "yes");
            directives.put("tls-auth-clients", "no");
        }
        if (security.password() != null) {
            directives.put("requirepass", quote(security.password()));
            directives.put("masterauth", quote(security.password()));
        }
        directives.put("bind", PortAllocator.HOST);
        directives.put("protected-mode", "no");
        directives.put("daemonize", "no");
        directives.put("cluster-enabled", "yes");
        directives.put("cluster-config-file", "nodes.conf");
        directives.put("cluster-node-timeout", Long.toString(nodeTimeout.toMillis()));
        // A replica whose master was paused or killed may have stale data by Redis' measure; in a sandbox
        // failover must still happen, or a kill test waits for ever.
        directives.put("cluster-replica-validity-factor", "0");
        directives.put("dir", quote(directory.toAbsolutePath().toString()));
        directives.put("logfile", quote(""));
        directives.put("loglevel", "notice");
        directives.put("save", quote(""));
        directives.put("appendonly", "no");
        // Replicas of an empty master attach at once instead of after 7.0's default 5 s diskless delay.
        directives.put("repl-diskless-sync", "yes");
        directives.put("repl-diskless-sync-delay", "0");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String name = e.getKey().trim().toLowerCase(Locale.ROOT);
            String value = e.getValue();
            Checks.requireArgument(!RESERVED.contains(name),
                    "config directive '%s' is managed by the sandbox and cannot be set", name);
            Checks.requireArgument(!name.isEmpty() && name.chars().noneMatch(Character::isWhitespace),
                    "config directive name '%s' must be one word", e.getKey());
            Checks.requireArgument(value.indexOf('\n') < 0 && value.indexOf('\r') < 0,
                    "value of config directive '%s' must not contain a line break", name);
            directives.put(name, value);
        }
        StringBuilder text = new StringBuilder(512);
        directives.forEach((name, value) -> text.append(name).append(' ').append(value).append('\n'));
        return text.toString();
    }

    /** Quotes a value the way redis.conf parses double-quoted strings. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
