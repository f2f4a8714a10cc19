package io.reslot.sandbox.internal;

import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for cluster nodes. A node needs two ports: its client port {@code p} and its cluster bus
 * port {@code p + 10000}; both must be free on {@code 127.0.0.1}.
 *
 * <p>Automatic ports come from {@code 10000..22767}, so that both {@code p} and {@code p + 10000} stay below
 * 32768, where Linux (32768-60999) and most other systems start handing out ephemeral ports for outgoing
 * connections: a node restarted on its old port then does not find it taken by some client socket. Ports handed
 * out are remembered JVM-wide until released, so two clusters started at once in one JVM never pick the same
 * port; the start offset is random, so two JVMs rarely race for one. A race that still happens surfaces as
 * "Address already in use" from {@code redis-server}, which the caller handles by asking again.
 */
public final class PortAllocator {
    /** Distance from a node's client port to its cluster bus port (Redis' default). */
    public static final int BUS_PORT_OFFSET = 10000;
    /** Lowest automatic port. */
    public static final int FIRST_AUTO_PORT = 10000;
    /** Highest automatic port; its bus port is 32767. */
    public static final int LAST_AUTO_PORT = 22767;
    /** Highest client port whose bus port is still a valid port. */
    public static final int MAX_PORT = 65535 - BUS_PORT_OFFSET;
    /** The only address nodes listen on. */
    public static final String HOST = "127.0.0.1";

    private static final Set<Integer> IN_USE_BY_THIS_JVM = ConcurrentHashMap.newKeySet();

    private PortAllocator() {
    }

    /**
     * Reserves a free automatic port whose bus port is free too.
     *
     * @return a client port in {@code FIRST_AUTO_PORT..LAST_AUTO_PORT}, reserved until {@link #release(int)}
     * @throws SandboxException {@link SandboxErrorCode#NO_FREE_PORT} if every candidate is taken
     */
    public static int allocate() {
        int range = LAST_AUTO_PORT - FIRST_AUTO_PORT + 1;
        int offset = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = FIRST_AUTO_PORT + (offset + i) % range;
            if (tryReserve(port)) {
                return port;
            }
        }
        throw new SandboxException(SandboxErrorCode.NO_FREE_PORT, String.format(
                "no free pair of ports p and p+%d on %s for p in %d-%d",
                BUS_PORT_OFFSET, HOST, FIRST_AUTO_PORT, LAST_AUTO_PORT));
    }

    /**
     * Reserves a port the caller chose.
     *
     * @param port client port, {@code 1..MAX_PORT}
     * @throws IllegalArgumentException if the port or its bus port is out of range
     * @throws SandboxException {@link SandboxErrorCode#PORT_IN_USE} if the port or its bus port is taken
     */
    public static void reserve(int port) {
        Checks.requireArgument(port >= 1 && port <= MAX_PORT,
                "port %d is out of range: it must be 1-%d so that its cluster bus port (port + %d) is valid",
                port, MAX_PORT, BUS_PORT_OFFSET);
        if (!tryReserve(port)) {
            throw new SandboxException(SandboxErrorCode.PORT_IN_USE, String.format(
                    "port %d or its cluster bus port %d on %s is in use; choose another base port",
                    port, port + BUS_PORT_OFFSET, HOST));
        }
    }

    /** Makes a reserved port available again to this JVM; releasing a port that is not reserved does nothing. */
    public static void release(int port) {
        IN_USE_BY_THIS_JVM.remove(port);
        IN_USE_BY_THIS_JVM.remove(port + BUS_PORT_OFFSET);
    }

    /** @return whether both {@code port} and {@code port + 10000} can be bound on {@code 127.0.0.1} right now */
    public static boolean isBindable(int port) {
        return canBind(port) && canBind(port + BUS_PORT_OFFSET);
    }

    private static boolean tryReserve(int port) {
        int bus = port + BUS_PORT_OFFSET;
        if (!IN_USE_BY_THIS_JVM.add(port)) {
            return false;
        }
        if (!IN_USE_BY_THIS_JVM.add(bus)) {
            IN_USE_BY_THIS_JVM.remove(port);
            return false;
        }
        if (isBindable(port)) {
            return true;
        }
        IN_USE_BY_THIS_JVM.remove(port);
        IN_USE_BY_THIS_JVM.remove(bus);
        return false;
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Like redis-server, which sets SO_REUSEADDR: a port held only by TIME_WAIT connections is usable.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress loopback() throws UnknownHostException {
        return InetAddress.getByName(HOST);
    }
}
