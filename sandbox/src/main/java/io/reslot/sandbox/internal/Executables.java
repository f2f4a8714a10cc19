package io.reslot.sandbox.internal;

import java.io.IOException;

/** Starting processes from executables this JVM may have just written. */
public final class Executables {

    /** Attempts before giving up on "Text file busy". */
    static final int ATTEMPTS = 20;

    private Executables() {
    }

    /**
     * {@code builder.start()}, retried on {@code ETXTBSY} ("Text file busy"). While one thread writes an executable
     * (the sandbox extracting a bundled {@code redis-server}), a process forked by another thread inherits the open
     * file until it calls exec; if that process execs the same file (renamed into place meanwhile), the kernel refuses
     * with ETXTBSY. The window is a few milliseconds, so a short wait and a retry get past it.
     *
     * @throws IOException the last failure, or any failure that is not ETXTBSY
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return builder.start();
            } catch (IOException e) {
                if (attempt >= ATTEMPTS || !String.valueOf(e.getMessage()).contains("error=26")) {
                    throw e;
                }
                try {
                    Thread.sleep(5L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
