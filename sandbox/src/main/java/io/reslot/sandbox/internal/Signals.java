package io.reslot.sandbox.internal;

import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code SIGSTOP} and {@code SIGCONT}, which Java cannot send itself, by running {@code kill -STOP pid}.
 * Only ever called with the pid of a process the caller started and still holds.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Stops (freezes) a process and, where {@code /proc} shows it, waits until it is stopped.
     *
     * @throws SandboxException {@link SandboxErrorCode#SIGNAL_FAILED} if {@code kill} fails
     */
    public static void stop(Process process) {
        send("STOP", process);
        awaitProcState(process, true);
    }

    /**
     * Lets a stopped process run again and, where {@code /proc} shows it, waits until it runs.
     *
     * @throws SandboxException {@link SandboxErrorCode#SIGNAL_FAILED} if {@code kill} fails
     */
    public static void resume(Process process) {
        send("CONT", process);
        awaitProcState(process, false);
    }

    private static void send(String signal, Process process) {
        Checks.requireState(process.isAlive(), "process %d is not alive", process.pid());
        String pid = Long.toString(process.pid());
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
            kill.getOutputStream().close();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, "kill -" + signal + " " + pid
                        + " did not finish within 10 s");
            }
            String output;
            try (InputStream in = kill.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (kill.exitValue() != 0) {
                throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, "kill -" + signal + " " + pid
                        + " exited with " + kill.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, "cannot run kill -" + signal + " " + pid
                    + " (is 'kill' on PATH?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxErrorCode.SIGNAL_FAILED, "interrupted sending SIG" + signal, e);
        }
    }

    /**
     * Signals are delivered asynchronously; on Linux, wait (at most 2 s) until the state letter in
     * {@code /proc/<pid>/stat} says stopped ({@code T}) or not.
     */
    private static void awaitProcState(Process process, boolean stopped) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Character state = procState(stat);
            if (state == null || (state == 'T' || state == 't') == stopped) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the state letter of a {@code /proc/<pid>/stat} file, or null where there is no such file */
    static Character procState(Path stat) {
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            int close = text.lastIndexOf(')');
            return close >= 0 && close + 2 < text.length() ? text.charAt(close + 2) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
