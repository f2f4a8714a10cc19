package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.LocalClusterOptions;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code reslot sandbox up [--masters N] [--replicas R] [--port P] | down [--port P] | status [--port P]}: a local
 * cluster that, unlike the demo's, keeps running after the command exits. {@code up} starts it with
 * {@link LocalCluster} and {@link LocalCluster#detach() detaches} it, after recording its processes in a
 * {@link SandboxState} file; {@code status} and {@code down} find it there, and {@code down} stops exactly the
 * recorded processes that still are its {@code redis-server}s ({@link SandboxProcesses}).
 */
final class SandboxCommand implements Command {

    static final String MASTERS = "masters";
    static final String REPLICAS = "replicas";
    static final String PORT = "port";
    static final List<String> ACTIONS = List.of("up", "down", "status");

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public String synopsis() {
        return "up [--masters N] [--replicas R] [--port P] | down [--port P] | status [--port P]";
    }

    @Override
    public String summary() {
        return "a throwaway local cluster that keeps running: up, down, status";
    }

    @Override
    public List<String> examples() {
        return List.of("reslot sandbox up                   # 3 masters on free ports",
                "reslot sandbox up --masters 3 --replicas 1 --port 7000",
                "reslot -c 127.0.0.1:7000 nodes      # use it, as any cluster",
                "reslot sandbox status",
                "reslot sandbox down --port 7000");
    }

    @Override
    public String description() {
        return """
                A throwaway local Redis Cluster to try reslot on: redis-server processes
                listening on 127.0.0.1 only (the one on PATH, or $RESLOT_REDIS_SERVER, or
                Redis 7.0.15 bundled in this jar), which keep running after the command
                exits, until 'sandbox down'. No cluster options (-c, --user, ...) are used.

                up      starts N masters (default 3) with R replicas each (default 0) on
                        free ports, or on P, P+1, ... with --port P; splits the slots
                        evenly, waits for cluster_state:ok, prints the nodes (address,
                        role, pid, id) and how to use the cluster. Refuses, starting
                        nothing, when a sandbox is up on port P already.
                status  every recorded sandbox (or the one on --port P): whether each
                        recorded process still runs, and the cluster_state of the
                        first node that answers. "no sandbox is up" when there is none.
                down    stops every sandbox (or the one on --port P): SIGTERM to each
                        recorded process that still is that node's redis-server (a pid
                        that some other process took meanwhile is left alone), SIGKILL
                        after 5 s, then deletes its data and its state file. With
                        nothing up it says so and exits 0.

                State (one file <first port>.json per sandbox, pids, ports, node ids,
                data directory, redis-server, start time) and data are kept in
                $RESLOT_SANDBOX_DIR, else $XDG_STATE_HOME/reslot/sandbox, else
                ~/.local/state/reslot/sandbox. Nothing is persisted: no RDB, no AOF.

                --json prints one document: up {"stateFile":..,"seed":..,"sandbox":
                {"port":..,"nodes":[{"address","pid","id","role",..}],..}}, status
                {"sandboxes":[{..,"clusterState":..,"nodes":[{..,"alive":..}]}]}, down
                {"stopped":[{..,"nodes":[{"address","pid","outcome"}]}]}.

                Exit codes: 0 done (also: nothing to stop, nothing up), 1 a sandbox is
                up on that port already, a node did not start, a process survived
                SIGKILL, or a state file is unreadable, 2 bad input.
                """;
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt(MASTERS).hasArg().argName("N")
                        .desc("up: how many masters, 1-100; default " + LocalClusterOptions.DEFAULT_MASTERS).get())
                .addOption(Option.builder().longOpt(REPLICAS).hasArg().argName("R")
                        .desc("up: replicas per master, 0-5; default " + LocalClusterOptions.DEFAULT_REPLICAS).get())
                .addOption(Option.builder().longOpt(PORT).hasArg().argName("P")
                        .desc("up: the first node's port, the others follow (default: free ports); status, down: "
                                + "the sandbox whose first port is P").get());
    }

    /** The one document of {@code up --json}. */
    record UpReport(String stateFile, String seed, SandboxState sandbox) {
    }

    /** One node in the document of {@code status --json}; {@code alive}: its recorded process still runs. */
    record NodeStatus(String address, String role, long pid, String id, boolean alive) {
    }

    /** One sandbox in the document of {@code status --json}; {@code clusterState} null when no node answered. */
    record Status(int port, String stateFile, String directory, String redisPath, String redisVersion,
            String startedAt, String clusterState, List<NodeStatus> nodes) {
    }

    /** The one document of {@code status --json}. */
    record StatusReport(List<Status> sandboxes) {
    }

    /** One node in the document of {@code down --json}: {@code terminated}, {@code killed}, {@code gone}, ... */
    record NodeOutcome(String address, long pid, String outcome) {
    }

    /** One sandbox in the document of {@code down --json}; {@code deleted}: its data and state file are gone. */
    record Stopped(int port, String stateFile, String directory, boolean deleted, List<NodeOutcome> nodes) {
    }

    /** The one document of {@code down --json}. */
    record DownReport(List<Stopped> stopped) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        CommandLine line = invocation.line();
        List<String> args = line.getArgList();
        if (args.isEmpty()) {
            throw new UsageException("sandbox: say what to do: up, down or status; see 'reslot sandbox --help'");
        }
        String action = args.get(0);
        if (!ACTIONS.contains(action)) {
            throw new UsageException("sandbox: unknown action '" + action + "'; " + Suggestion.didYouMean(action,
                    ACTIONS, "'").orElse("give up, down or status"));
        }
        if (args.size() > 1) {
            throw new UsageException("unexpected argument '" + args.get(1) + "'; sandbox " + action + " takes none");
        }
        if (!action.equals("up")) {
            for (String option : List.of(MASTERS, REPLICAS)) {
                if (line.hasOption(option)) {
                    throw new UsageException("--" + option + " is an option of 'sandbox up', not of 'sandbox "
                            + action + "'");
                }
            }
        }
        // 0: none given
        int port = line.hasOption(PORT) ? (int) Moves.number(line, PORT, 1, SandboxState.MAX_PORT) : 0;
        Path home = SandboxState.home(invocation.env());
        return switch (action) {
            case "up" -> up(invocation, home, port);
            case "down" -> down(invocation, home, port);
            default -> status(invocation, home, port);
        };
    }

    // ---- up -------------------------------------------------------------------------------------------------------

    private int up(Invocation invocation, Path home, int port) throws IOException {
        CommandLine line = invocation.line();
        int masters = line.hasOption(MASTERS) ? (int) Moves.number(line, MASTERS, 1, 100)
                : LocalClusterOptions.DEFAULT_MASTERS;
        int replicas = line.hasOption(REPLICAS) ? (int) Moves.number(line, REPLICAS, 0, 5)
                : LocalClusterOptions.DEFAULT_REPLICAS;
        LocalClusterOptions options;
        try {
            options = LocalClusterOptions.builder().masters(masters).replicas(replicas).basePort(port)
                    .parentDirectory(home).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--port " + port + ": " + e.getMessage());
        }
        if (port != 0) {
            requireNoneUp(invocation, home, port);
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalCluster cluster = LocalCluster.start(options);
        SandboxState state;
        try {
            state = state(cluster, started);
            if (port == 0) {
                requireNoneUp(invocation, home, state.port()); // a stale record of a sandbox that had this port
            }
            state.write(home);
            try {
                cluster.detach();
            } catch (RuntimeException e) {
                Files.deleteIfExists(state.file(home));
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        UpReport report = new UpReport(state.file(home).toString(), state.seed(), state);
        invocation.printReport(report, upText(report, masters, replicas));
        return ExitCode.OK;
    }

    /**
     * Refuses when a sandbox is up on {@code port}; a record whose processes all ended is removed with its data.
     *
     * @throws SandboxException {@link SandboxErrorCode#PORT_IN_USE} naming the sandbox and how to stop it
     */
    private static void requireNoneUp(Invocation invocation, Path home, int port) throws IOException {
        Optional<SandboxState> recorded = SandboxState.read(home, port);
        if (recorded.isEmpty()) {
            return;
        }
        SandboxState state = recorded.get();
        List<String> running = state.nodes().stream()
                .filter(n -> SandboxProcesses.find(state, n).isPresent())
                .map(n -> n.address() + " pid " + n.pid()).toList();
        if (!running.isEmpty()) {
            throw new SandboxException(SandboxErrorCode.PORT_IN_USE, "a sandbox is up on port " + port + " already ("
                    + String.join(", ", running) + "; " + state.file(home) + "); nothing was started. Use it with "
                    + "'reslot -c " + state.seed() + " ...', or stop it with 'reslot sandbox down --port " + port
                    + "'");
        }
        SandboxProcesses.deleteData(state);
        Files.deleteIfExists(state.file(home));
        String text = "removed the record of the sandbox on port " + port + " started " + state.startedAt()
                + ": none of its processes runs any more";
        Progress.forInvocation(invocation).note(text, new Event("stale-sandbox-removed", port, text));
        invocation.io().err().flush();
    }

    /** {@code --json}: something done on the way, on stderr. */
    record Event(String event, int port, String text) {
    }

    private static SandboxState state(LocalCluster cluster, Instant started) {
        List<SandboxState.Node> nodes = new ArrayList<>();
        for (ClusterNode node : cluster.nodes()) {
            nodes.add(new SandboxState.Node(node.address(), node.port(), node.pid(), node.nodeId(),
                    node.role().name().toLowerCase(Locale.ROOT), node.masterId().orElse(null)));
        }
        return new SandboxState(SandboxState.FORMAT, nodes.get(0).port(), cluster.directory().toString(),
                cluster.redis().path().toAbsolutePath().toString(), cluster.redis().version(), started.toString(),
                List.copyOf(nodes));
    }

    static String upText(UpReport report, int masters, int replicas) {
        SandboxState state = report.sandbox();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ADDRESS", "ROLE", "PID", "ID"));
        for (SandboxState.Node node : state.nodes()) {
            rows.add(List.of(node.address(), node.role(), Long.toString(node.pid()), node.id().substring(0, 8)));
        }
        return String.format(Locale.ROOT, """
                sandbox up on port %d: %d master%s%s, redis-server %s
                %s
                data:  %s
                state: %s

                It keeps running after this command. Use it:
                  export RESLOT_CLUSTER=%s
                  reslot -c %s nodes
                Stop it and delete its data:
                  reslot sandbox down --port %d
                """, state.port(), masters, masters == 1 ? "" : "s", replicas == 0 ? ""
                        : " with " + replicas + " replica" + (replicas == 1 ? "" : "s") + " each", state.redisVersion(), TextTable.of(rows).stripTrailing(),
                state.directory(), report.stateFile(), report.seed(), report.seed(), state.port());
    }

    // ---- status ---------------------------------------------------------------------------------------------------

    private int status(Invocation invocation, Path home, int port) throws IOException {
        List<SandboxState> states = recorded(home, port);
        List<Status> statuses = new ArrayList<>();
        RedisClient client = states.isEmpty() ? null : RedisClient.create();
        try {
            for (SandboxState state : states) {
                List<NodeStatus> nodes = new ArrayList<>();
                String clusterState = null;
                for (SandboxState.Node node : state.nodes()) {
                    boolean alive = SandboxProcesses.find(state, node).isPresent();
                    nodes.add(new NodeStatus(node.address(), node.role(), node.pid(), node.id(), alive));
                    if (alive && clusterState == null) {
                        clusterState = clusterState(client, node.port());
                    }
                }
                statuses.add(new Status(state.port(), state.file(home).toString(), state.directory(),
                        state.redisPath(), state.redisVersion(), state.startedAt(), clusterState, List.copyOf(nodes)));
            }
        } finally {
            if (client != null) {
                client.shutdown(Duration.ZERO, QUERY_TIMEOUT);
            }
        }
        StatusReport report = new StatusReport(List.copyOf(statuses));
        invocation.printReport(report, statusText(report, port));
        return ExitCode.OK;
    }

    /** The {@code cluster_state} a node reports, or null if it does not answer. */
    private static String clusterState(RedisClient client, int port) {
        RedisURI uri = RedisURI.builder().withHost(SandboxState.HOST).withPort(port).withTimeout(QUERY_TIMEOUT).build();
        try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
            for (String field : connection.sync().clusterInfo().split("\r?\n")) {
                if (field.startsWith("cluster_state:")) {
                    return field.substring("cluster_state:".length()).strip();
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String statusText(StatusReport report, int port) {
        if (report.sandboxes().isEmpty()) {
            return nothingUp(port);
        }
        StringBuilder text = new StringBuilder();
        for (Status status : report.sandboxes()) {
            long alive = status.nodes().stream().filter(NodeStatus::alive).count();
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ADDRESS", "ROLE", "PID", "ID", "RUNNING"));
            for (NodeStatus node : status.nodes()) {
                rows.add(List.of(node.address(), node.role(), Long.toString(node.pid()), node.id().substring(0, 8),
                        node.alive() ? "yes" : "no"));
            }
            text.append(text.length() == 0 ? "" : "\n")
                    .append(String.format(Locale.ROOT, "sandbox on port %d, started %s, redis-server %s: %d of %d "
                            + "nodes running, %s%n", status.port(), status.startedAt(), status.redisVersion(), alive,
                            status.nodes().size(), status.clusterState() == null ? "no node answers"
                                    : "cluster_state " + status.clusterState()))
                    .append(TextTable.of(rows))
                    .append("data:  ").append(status.directory()).append('\n')
                    .append("state: ").append(status.stateFile()).append('\n');
        }
        return text.toString();
    }

    // ---- down -----------------------------------------------------------------------------------------------------

    private int down(Invocation invocation, Path home, int port) throws IOException {
        List<Stopped> stopped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (SandboxState state : recorded(home, port)) {
            Map<SandboxState.Node, SandboxProcesses.Outcome> outcomes = SandboxProcesses.stop(state);
            List<NodeOutcome> nodes = new ArrayList<>();
            outcomes.forEach((node, outcome) -> nodes.add(new NodeOutcome(node.address(), node.pid(),
                    outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))));
            boolean survived = outcomes.containsValue(SandboxProcesses.Outcome.SURVIVED);
            if (survived) {
                failures.add("sandbox on port " + state.port() + ": " + nodes.stream()
                        .filter(n -> n.outcome().equals("survived")).map(n -> n.address() + " pid " + n.pid())
                        .toList() + " still running after SIGKILL; kept " + state.file(home));
            } else {
                SandboxProcesses.deleteData(state);
                Files.deleteIfExists(state.file(home));
            }
            stopped.add(new Stopped(state.port(), state.file(home).toString(), state.directory(), !survived,
                    List.copyOf(nodes)));
        }
        DownReport report = new DownReport(List.copyOf(stopped));
        invocation.printReport(report, downText(report, port));
        if (!failures.isEmpty()) {
            invocation.io().out().flush();
            failures.forEach(f -> invocation.io().err().println("reslot: " + f));
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }

    static String downText(DownReport report, int port) {
        if (report.stopped().isEmpty()) {
            return nothingUp(port);
        }
        StringBuilder text = new StringBuilder();
        for (Stopped sandbox : report.stopped()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ADDRESS", "PID", "WHAT HAPPENED"));
            for (NodeOutcome node : sandbox.nodes()) {
                rows.add(List.of(node.address(), Long.toString(node.pid()), describe(node.outcome())));
            }
            text.append(text.length() == 0 ? "" : "\n")
                    .append("sandbox on port ").append(sandbox.port()).append(":\n")
                    .append(TextTable.of(rows))
                    .append(sandbox.deleted() ? "deleted " + sandbox.directory() + " and " + sandbox.stateFile()
                            : "kept " + sandbox.directory() + " and " + sandbox.stateFile()).append('\n');
        }
        return text.toString();
    }

    private static String describe(String outcome) {
        return switch (outcome) {
            case "terminated" -> "stopped (SIGTERM)";
            case "killed" -> "killed (SIGKILL after " + SandboxProcesses.GRACE.toSeconds() + " s)";
            case "gone" -> "had stopped already";
            case "not-ours" -> "left alone: the pid is no longer this node's redis-server";
            default -> "still running after SIGKILL";
        };
    }

    // ---- shared ---------------------------------------------------------------------------------------------------

    /** The sandbox on {@code port}, or every sandbox when it is 0. */
    private static List<SandboxState> recorded(Path home, int port) {
        return port == 0 ? SandboxState.all(home) : SandboxState.read(home, port).map(List::of).orElse(List.of());
    }

    private static String nothingUp(int port) {
        return port == 0 ? "no sandbox is up\n" : "no sandbox is up on port " + port + "\n";
    }
}
