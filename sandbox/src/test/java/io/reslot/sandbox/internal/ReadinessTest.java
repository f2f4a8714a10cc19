package io.reslot.sandbox.internal;

import io.reslot.sandbox.internal.Readiness.Report;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness over a synthetic cluster: masters A (0-8191) and B (8192-16383), C replicating A. */
class ReadinessTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    /** Lines as every node sees them, before the {@code myself} flag is added. */
    private final Map<String, String> lines = new LinkedHashMap<>(Map.of(
            A, A + " 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8191",
            B, B + " 127.0.0.1:7001@17001 master - 0 0 2 connected 8192-16383",
            C, C + " 127.0.0.1:7002@17002 slave " + A + " 0 0 1 connected"));

    @Test
    void readyWhenAllAgreeAndReplicaIsAttached() {
        assertThat(Readiness.problem(reports(UnaryOperator.identity()))).isEmpty();
        assertThat(Readiness.joinProblem(reports(UnaryOperator.identity()))).isEmpty();
    }

    @Test
    void notReadyWhileANodeReportsClusterStateFail() {
        List<Report> reports = reports(UnaryOperator.identity());
        reports.set(1, new Report("127.0.0.1:7001", B, "cluster_state:fail\r\n", reports.get(1).clusterNodes(),
                ""));

        assertThat(Readiness.problem(reports)).contains("127.0.0.1:7001 reports cluster_state:fail");
    }

    @Test
    void notReadyWhileANodeIsUnknownOrFlagged() {
        List<Report> unknown = reports(UnaryOperator.identity());
        unknown.set(0, report(A, nodes(A).replace(lines.get(C) + "\n", ""), "ok", ""));
        assertThat(Readiness.problem(unknown)).contains("127.0.0.1:7000 does not know 127.0.0.1:7002 (" + C
                + ") yet");
        assertThat(Readiness.joinProblem(unknown)).contains("127.0.0.1:7000 does not know 127.0.0.1:7002 yet");

        List<Report> flagged = reports(UnaryOperator.identity());
        flagged.set(1, report(B, nodes(B).replace("slave " + A, "slave,fail? " + A), "ok", ""));
        assertThat(Readiness.problem(flagged)).contains("127.0.0.1:7001 sees 127.0.0.1:7002 as fail?");
    }

    @Test
    void notReadyWhileNodesDisagreeOnSlotOwners() {
        List<Report> reports = reports(UnaryOperator.identity());
        reports.set(2, report(C, nodes(C).replace("0-8191", "0-8190").replace("8192-16383", "8191-16383"), "ok",
                "master_link_status:up"));

        assertThat(Readiness.problem(reports)).contains("127.0.0.1:7002 and 127.0.0.1:7000 disagree on node "
                + "127.0.0.1:7000");
    }

    @Test
    void notReadyWhileSlotsHaveNoRunningMaster() {
        // B is killed: not asked, but A and C still think it owns 8192-16383
        List<Report> reports = reports(UnaryOperator.identity());
        reports.remove(1);

        assertThat(Readiness.problem(reports)).contains("127.0.0.1:7000 sees only 8192 of 16384 slots served by "
                + "running masters");
    }

    @Test
    void killedReplicaFlaggedAsFailDoesNotMatter() {
        List<Report> reports = reports(line -> line.replace("slave " + A, "slave,fail " + A));
        reports.remove(2);

        assertThat(Readiness.problem(reports)).isEmpty();
    }

    @Test
    void notReadyWhileReplicaLinkIsDown() {
        List<Report> reports = reports(UnaryOperator.identity());
        reports.set(2, report(C, nodes(C), "ok", "role:slave\r\nmaster_link_status:down\r\n"));

        assertThat(Readiness.problem(reports)).contains("127.0.0.1:7002 (replica of 127.0.0.1:7000) has "
                + "master_link_status:down");
    }

    @Test
    void notJoinedWhileInHandshake() {
        List<Report> reports = reports(UnaryOperator.identity());
        reports.set(0, report(A, nodes(A) + "d".repeat(40) + " 127.0.0.1:7003@17003 handshake - 0 0 0 connected\n",
                "ok", ""));

        assertThat(Readiness.joinProblem(reports)).contains("127.0.0.1:7000 is still in handshake with "
                + "127.0.0.1:7003");
    }

    @Test
    void readsInfoFields() {
        assertThat(Readiness.field("# Cluster\r\ncluster_state:ok\r\ncluster_size:3\r\n", "cluster_size"))
                .isEqualTo("3");
        assertThat(Readiness.field("cluster_state:ok", "missing")).isEqualTo("?");
    }

    private List<Report> reports(UnaryOperator<String> edit) {
        lines.replaceAll((id, line) -> edit.apply(line));
        List<Report> reports = new ArrayList<>();
        reports.add(report(A, nodes(A), "ok", "role:master"));
        reports.add(report(B, nodes(B), "ok", "role:master"));
        reports.add(report(C, nodes(C), "ok", "role:slave\r\nmaster_link_status:up\r\n"));
        return reports;
    }

    private String nodes(String myself) {
        StringBuilder text = new StringBuilder();
        lines.forEach((id, line) -> text.append(id.equals(myself)
                ? line.replaceFirst(" (master|slave)", " myself,$1") : line).append('\n'));
        return text.toString();
    }

    private static Report report(String id, String clusterNodes, String state, String replication) {
        String port = id.equals(A) ? "7000" : id.equals(B) ? "7001" : "7002";
        return new Report("127.0.0.1:" + port, id, "cluster_state:" + state + "\r\ncluster_slots_assigned:16384\r\n",
                clusterNodes, replication);
    }
}
