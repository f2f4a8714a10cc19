package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes of a recorded sandbox, found and stopped by pid from a later JVM. A pid is only ever signalled after
 * checking that it still is the {@code redis-server} of the recorded port: pids are reused, and a state file can
 * outlive its processes (a reboot, a {@code kill}), so the pid may belong to anything by now.
 */
final class SandboxProcesses {

    /** How long {@code down} waits after SIGTERM before it sends SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private SandboxProcesses() {
    }

    /** What became of one recorded node. */
    enum Outcome {
        /** Ended on SIGTERM. */
        TERMINATED,
        /** Ended only on SIGKILL, after the grace period. */
        KILLED,
        /** Was not running any more. */
        GONE,
        /** Its pid now belongs to another process, which was left alone. */
        NOT_OURS,
        /** Still running after SIGKILL. */
        SURVIVED
    }

    /**
     * The live process of a recorded node, if its pid still is that node's {@code redis-server}: its command line
     * names the redis-server binary and the node's port (or, while starting, its config file). The handle remembers
     * the process's start time, so signalling it later cannot hit a process that took the pid meanwhile.
     */
    static Optional<ProcessHandle> find(SandboxState state, SandboxState.Node node) {
        return ProcessHandle.of(node.pid()).filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).filter(line -> isNode(line, state, node)).isPresent());
    }

    /** Whether {@code pid} is alive at all, ours or not. */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether a process command line is that of {@code node}'s {@code redis-server}. redis-server replaces its
     * arguments with a title, {@code /path/redis-server 127.0.0.1:7000 [cluster]}; before it does, they are the
     * binary and {@code <directory>/node-<i>/redis.conf}.
     */
    static boolean isNode(String commandLine, SandboxState state, SandboxState.Node node) {
        boolean redis = commandLine.contains(state.redisPath()) || commandLine.contains("redis-server");
        boolean port = Pattern.compile("(^|[\\s:])" + node.port() + "(?![0-9])").matcher(commandLine).find()
                || commandLine.contains(state.directory() + "/node-");
        return redis && port;
    }

    /**
     * The command line of a process: {@code /proc/<pid>/cmdline} on Linux (arguments separated by spaces), else what
     * the JDK can tell.
     */
    static Optional<String> commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                String line = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').strip();
                return line.isEmpty() ? Optional.empty() : Optional.of(line);
            }
        } catch (IOException e) {
            // ended meanwhile, or not ours to read: ask the JDK
        }
        return process.info().commandLine();
    }

    /**
     * Stops the recorded nodes' processes that are still theirs: SIGTERM to all, SIGKILL to those still running after
     * {@link #GRACE}. Touches no other process.
     *
     * @return what became of each node, in the state's order
     */
    static Map<SandboxState.Node, Outcome> stop(SandboxState state) {
        Map<SandboxState.Node, Outcome> outcomes = new LinkedHashMap<>();
        Map<SandboxState.Node, ProcessHandle> running = new LinkedHashMap<>();
        for (SandboxState.Node node : state.nodes()) {
            Optional<ProcessHandle> process = find(state, node);
            if (process.isPresent()) {
                running.put(node, process.get());
            } else {
                outcomes.put(node, isAlive(node.pid()) ? Outcome.NOT_OURS : Outcome.GONE);
            }
        }
        running.values().forEach(ProcessHandle::destroy);
        List<SandboxState.Node> survivors = awaitExit(running, GRACE);
        survivors.forEach(n -> running.get(n).destroyForcibly());
        List<SandboxState.Node> unkillable = awaitExit(running, AFTER_KILL);
        Map<SandboxState.Node, Outcome> ordered = new LinkedHashMap<>();
        for (SandboxState.Node node : state.nodes()) {
            Outcome outcome = outcomes.get(node);
            if (outcome == null) {
                outcome = unkillable.contains(node) ? Outcome.SURVIVED
                        : survivors.contains(node) ? Outcome.KILLED : Outcome.TERMINATED;
            }
            ordered.put(node, outcome);
        }
        return ordered;
    }

    /** Waits up to {@code timeout} in all for the processes to end; returns the nodes whose process still runs. */
    private static List<SandboxState.Node> awaitExit(Map<SandboxState.Node, ProcessHandle> processes,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SandboxState.Node> alive = new ArrayList<>();
        for (Map.Entry<SandboxState.Node, ProcessHandle> entry : processes.entrySet()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                entry.getValue().onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // judged by isAlive below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (entry.getValue().isAlive()) {
                alive.add(entry.getKey());
            }
        }
        return alive;
    }

    /**
     * Deletes a sandbox's data directory; one that is gone already is fine.
     *
     * @throws IOException if something in it cannot be deleted
     */
    static void deleteData(SandboxState state) throws IOException {
        Path directory = Path.of(state.directory());
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
