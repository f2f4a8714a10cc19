package io.reslot.sandbox;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM that is terminated without closing its cluster still leaves no redis-server and no directory behind; one
 * that detached its cluster leaves both, running.
 */
class ShutdownHookIT {
    @Test
    void terminatedJvmLeavesNoProcessOrDirectoryBehind() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        try {
            String line;
            long pid = -1;
            Path directory = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                while (directory == null && (line = out.readLine()) != null) {
                    if (line.startsWith("started ")) {
                        String[] parts = line.split(" ");
                        pid = Long.parseLong(parts[1]);
                        directory = Path.of(parts[2]);
                    }
                }
                assertThat(directory).as("child printed its cluster").isNotNull();
                assertThat(Files.isDirectory(directory)).isTrue();
                assertThat(isAlive(pid)).isTrue();

                child.destroy(); // SIGTERM: the JVM runs its shutdown hooks
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(isAlive(pid)).isFalse();
            assertThat(directory).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void detachedClusterOutlivesTheJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DetachingChild.class.getName()).redirectErrorStream(true).start();
        long pid = -1;
        Path directory = null;
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            String[] parts = output.lines().filter(l -> l.startsWith("detached ")).findFirst().orElseThrow()
                    .split(" ");
            pid = Long.parseLong(parts[1]);
            directory = Path.of(parts[2]);

            assertThat(isAlive(pid)).as("redis-server after its JVM exited").isTrue();
            assertThat(directory.resolve("node-0").resolve("nodes.conf")).isRegularFile();
        } finally {
            child.destroyForcibly();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            if (directory != null) {
                io.reslot.sandbox.internal.SandboxFiles.deleteTree(directory);
            }
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts a cluster, reports it, and waits to be terminated without ever closing it. */
    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            LocalCluster cluster = LocalCluster.builder().masters(1).start();
            System.out.println("started " + cluster.nodes().get(0).pid() + " " + cluster.directory());
            System.out.flush();
            Thread.sleep(60_000);
            System.exit(1);
        }
    }

    /** Starts a cluster, detaches it, reports it and exits. */
    static final class DetachingChild {
        public static void main(String[] args) {
            LocalCluster cluster = LocalCluster.builder().masters(1).start();
            cluster.detach();
            cluster.close(); // does nothing once detached
            System.out.println("detached " + cluster.nodes().get(0).pid() + " " + cluster.directory());
        }
    }
}
