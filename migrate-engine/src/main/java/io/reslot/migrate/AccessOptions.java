package io.reslot.migrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * How to reach a cluster: seed nodes, credentials, TLS and timeouts. Immutable; build with {@link #builder()}.
 * The password is held as a {@code char[]} copy and never appears in {@link #toString()}.
 */
public final class AccessOptions {

    /** The seed used when none is given, as for {@code redis-cli}. */
    public static final String DEFAULT_SEED = "127.0.0.1:6379";
    /** How long to wait for a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long to wait for a command's reply. It must exceed the mover's MIGRATE timeout, or Lettuce gives up on a
     * MIGRATE the server is still working on.
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final List<String> seeds;
    private final String user;
    private final char[] password;
    private final boolean tls;
    private final Path tlsCaFile;
    private final Duration connectTimeout;
    private final Duration commandTimeout;

    private AccessOptions(Builder b) {
        this.seeds = List.copyOf(b.seeds.isEmpty() ? List.of(DEFAULT_SEED) : b.seeds);
        this.user = b.user;
        this.password = b.password == null ? null : b.password.clone();
        this.tls = b.tls || b.tlsCaFile != null;
        this.tlsCaFile = b.tlsCaFile;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed nodes, {@code host:port}. */
    public List<String> seeds() {
        return seeds;
    }

    /** The ACL user, or {@code null} for the default user. */
    public String user() {
        return user;
    }

    /** A copy of the password, or {@code null} for none. */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /** Whether to use TLS. */
    public boolean tls() {
        return tls;
    }

    /**
     * The PEM file of the certificates (CAs or self-signed node certificates) to trust, or {@code null} to trust what
     * the JVM trusts (its default trust store, or {@code -Djavax.net.ssl.trustStore}).
     */
    public Path tlsCaFile() {
        return tlsCaFile;
    }

    /** How long to wait for a connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for a reply. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public String toString() {
        return "AccessOptions{seeds=" + seeds + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", tls=" + tls + (tlsCaFile == null ? "" : ", tlsCaFile=" + tlsCaFile) + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout + "}";
    }

    /** Builds {@link AccessOptions}. */
    public static final class Builder {
        private final List<String> seeds = new ArrayList<>();
        private String user;
        private char[] password;
        private boolean tls;
        private Path tlsCaFile;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {
        }

        /**
         * Adds seed nodes.
         *
         * @throws IllegalArgumentException naming the seed if one is not {@code host:port} with a port 1–65535
         */
        public Builder seeds(String... hostPorts) {
            for (String seed : hostPorts) {
                HostPort.parse(seed);
                seeds.add(seed);
            }
            return this;
        }

        /** The ACL user; {@code null} for the default user. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password (copied); {@code null} for none. */
        public Builder password(char[] password) {
            this.password = password == null ? null : Arrays.copyOf(password, password.length);
            return this;
        }

        /** Whether to use TLS. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Trusts the certificates of a PEM file instead of the JVM's trust store; implies {@link #tls(boolean) TLS}.
         * The file is read when a connection is opened. {@code null}: the JVM's trust store.
         */
        public Builder tlsCaFile(Path pemFile) {
            this.tlsCaFile = pemFile;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            requireArgument(!timeout.isNegative() && !timeout.isZero(), "connect timeout %s is not positive", timeout);
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * @throws IllegalArgumentException if not positive
         */
        public Builder commandTimeout(Duration timeout) {
            requireArgument(!timeout.isNegative() && !timeout.isZero(), "command timeout %s is not positive", timeout);
            this.commandTimeout = timeout;
            return this;
        }

        /** The options. */
        public AccessOptions build() {
            return new AccessOptions(this);
        }
    }

    /** {@code host:port}, parsed. */
    record HostPort(String host, int port) {

        static HostPort parse(String text) {
            Objects.requireNonNull(text, "seed");
            int colon = text.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            requireArgument(port >= 1 && port <= 65535, "'%s' is not HOST:PORT", text);
            String host = text.substring(0, colon);
            return new HostPort(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host,
                    port);
        }
    }
}
