package io.reslot.migrate.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who this process is, as recorded in the lock and in jobs: {@code user@host} and the process id. */
public final class Identity {

    private static final String USER_AT_HOST = System.getProperty("user.name", "unknown") + "@" + hostName();

    private Identity() {
    }

    /** {@code user@host} of this process; the host is {@code unknown-host} if it cannot be found. */
    public static String userAtHost() {
        return USER_AT_HOST;
    }

    /** This process's id. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    private static String hostName() {
        // The environment first: getLocalHost() can wait for a DNS timeout on a badly configured machine.
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            name = System.getenv("COMPUTERNAME");
        }
        if (name != null && !name.isBlank()) {
            return name.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
