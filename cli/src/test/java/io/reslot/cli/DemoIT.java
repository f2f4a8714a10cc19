package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code reslot demo} from the shaded jar as a separate process, as a user would: once as text through the
 * versioned migrations, once with {@code --json --direct}. Each must exit 0 with its summary, and leave none of the
 * {@code redis-server} processes it started (it names their pids) running.
 */
class DemoIT {

    private static final int KEYS = 50_000;
    private static final Pattern PID = Pattern.compile("127\\.0\\.0\\.1:(\\d+) pid (\\d+)");

    @TempDir
    Path tmp;

    @Test
    void runsTheVersionedMigrationsAndStopsItsServers() throws Exception {
        ReslotJar.Run run = reslot("demo", "--keys", Integer.toString(KEYS));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("through the versioned migrations of examples/migrations")
                .contains("applied V1 Rebalance onto empty masters in ", "applied V2 Tag users in ")
                .contains("check: 4 nodes (4 masters), 4 answered: healthy")
                .contains("verified all " + KEYS + " keys")
                .contains("users whose keys share one slot: 20000 of 20000 (100.0 %)")
                .containsPattern("\nafter:\nMASTER +SLOTS +KEYS\n(.*\n){3}127\\.0\\.0\\.1:\\d+ \\(added\\) +4096 +[1-9]\\d*\n")
                .contains("demo passed in ");
        String before = run.stdout().substring(run.stdout().indexOf("\nbefore:\n"), run.stdout().indexOf("\nafter:\n"));
        assertThat(before).containsPattern("\n127\\.0\\.0\\.1:\\d+ \\(added\\) +0 +0\n")
                .containsPattern("users whose keys share one slot: \\d+ of 20000 \\(0\\.\\d %\\)");
        assertThat(run.stderr()).contains("reslot: V2 step 1: retag");
        List<Long> pids = pids(run.stdout());
        assertThat(pids).hasSize(4);
        assertGone(pids);
    }

    @Test
    void printsOneJsonDocumentDirectly() throws Exception {
        ReslotJar.Run run = reslot("--json", "demo", "--keys", Integer.toString(KEYS), "--direct");

        assertThat(run.exit()).as(run.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.stdout());
        assertThat(run.stdout().strip().lines()).hasSize(1);
        assertThat(report.get("mode").asText()).isEqualTo("direct");
        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(report.get("failures")).isEmpty();
        assertThat(report.get("check").get("healthy").asBoolean()).isTrue();
        assertThat(report.get("verification").get("keys").asLong()).isEqualTo(KEYS);
        assertThat(report.get("verification").get("passed").asBoolean()).isTrue();
        assertThat(report.get("before").get("coLocatedPercent").asDouble()).isLessThan(1);
        assertThat(report.get("after").get("coLocatedPercent").asDouble()).isEqualTo(100.0);
        assertThat(report.get("after").get("keys").asLong()).isEqualTo(KEYS);
        JsonNode added = report.get("after").get("masters").get(3);
        assertThat(added.get("slots").asInt()).isEqualTo(4096);
        assertThat(added.get("keys").asLong()).isPositive();
        assertThat(report.get("phases")).extracting(p -> p.get("name").asText())
                .contains("load", "rebalance", "retag", "check", "verify", "stop");
        List<Long> pids = new ArrayList<>();
        report.get("nodes").forEach(n -> pids.add(n.get("pid").asLong()));
        assertThat(report.get("nodes").get(3).get("added").asBoolean()).isTrue();
        assertThat(pids).hasSize(4);
        assertGone(pids);
    }

    private static List<Long> pids(String stdout) {
        List<Long> pids = new ArrayList<>();
        Matcher m = PID.matcher(stdout.lines().filter(l -> l.startsWith("started ")).findFirst().orElse(""));
        while (m.find()) {
            pids.add(Long.parseLong(m.group(2)));
        }
        return pids;
    }

    /** None of {@code pids} is a live process; a pid taken again since would not be a redis-server of ours. */
    private static void assertGone(List<Long> pids) {
        for (long pid : pids) {
            boolean ours = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().commandLine()).filter(c -> c.contains("redis-server")).isPresent();
            assertThat(ours).as("redis-server pid %d still running", pid).isFalse();
        }
    }

    private ReslotJar.Run reslot(String... args) throws IOException, InterruptedException {
        return ReslotJar.run(tmp, "", Duration.ofMinutes(3), args);
    }
}
