package io.reslot.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.CheckReport;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.ClusterCheck;
import io.reslot.migrate.JobOutcome;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.MoveEvent;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Plan;
import io.reslot.migrate.Planner;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.rewrite.Retag;
import io.reslot.rewrite.RetagCounts;
import io.reslot.rewrite.RetagOptions;
import io.reslot.rewrite.Rule;
import io.reslot.rewrite.Rules;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.versioning.Callback;
import io.reslot.versioning.MigrateResult;
import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.RedisVersioning;
import io.reslot.versioning.Step;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code reslot demo [--keys N] [--direct]}: the job reslot is for, start to finish, on a throwaway sandbox cluster.
 * Starts 3 masters and adds an empty one, loads keys of several types and TTLs in an untagged layout
 * ({@link DemoData}), rebalances onto the empty master and retags the users' keys so that each user's keys share a
 * slot (through the versioned migrations of {@code examples/migrations}, or with {@code --direct} through the engine
 * and the rewriter), checks the cluster, reads every key back, and stops every process it started.
 */
final class DemoCommand implements Command {

    static final String KEYS = "keys";
    static final String DIRECT = "direct";
    static final int DEFAULT_KEYS = 200_000;
    static final int MAX_KEYS = 10_000_000;

    /**
     * The copies of {@code examples/migrations} in this jar ({@code DemoMigrationsTest} keeps them identical): the
     * demo runs the same from a checkout, an installed jar or any working directory.
     */
    static final String MIGRATIONS = "classpath:io/reslot/cli/demo/migrations";

    /** The rule of {@code V2__Tag_users.yaml}, for {@code --direct}. */
    static final Rule TAG_USERS = new Rule("user:*", "^user:(?<id>[0-9]+):(?<field>.*)$", "user:{${id}}:${field}");

    private static final int MASTERS = 3;
    /** Keys loaded per pipelined batch. */
    private static final int LOAD_BATCH = 5000;
    /** How long the check waits for the nodes' views to settle after the job. */
    private static final Duration CHECK_SETTLE = Duration.ofSeconds(5);
    private static final long CHECK_PAUSE_MILLIS = 200;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String synopsis() {
        return "[--keys N] [--direct]";
    }

    @Override
    public String summary() {
        return "the reshard-and-retag job, start to finish, on a local sandbox";
    }

    @Override
    public List<String> examples() {
        return List.of("reslot demo                        # 200,000 keys, through examples/migrations",
                "reslot demo --keys 50000 --direct  # without versioning: a rebalance, a retag");
    }

    @Override
    public String description() {
        return """
                Runs reslot's main job on a sandbox cluster it starts and stops itself:
                redis-server processes listening on 127.0.0.1 only (the one on PATH, or
                $RESLOT_REDIS_SERVER, or Redis 7.0.15 bundled in this jar). Nothing else is
                touched; no cluster options (-c, --user, ...) are used.

                1. starts 3 masters and adds an empty fourth one;
                2. loads N keys (default 200000) for N / 2.5 users, untagged, pipelined:
                   user:<id>:profile (hash), user:<id>:cart (list or set; every third
                   with a 2 h TTL), session:<id> (string, 1 h TTL);
                3. prints slots and keys per master, and the share of users whose keys
                   share one slot (about 0 %);
                4. applies examples/migrations through the versioning library (copies
                   in this jar): V1 rebalances onto the empty master, V2 retags
                   user:<id>:<field> to user:{<id>}:<field>. --direct does the same
                   without versioning: a rebalance job, then a retag;
                5. checks the cluster (views agree, no open slot, all slots served) and
                   reads every key back: under its new name, same value, a TTL exactly
                   where it had one (not longer), no old name left, the key count;
                6. prints the summary again (now 100 %) and the time of each phase;
                7. stops every process it started, also on failure or Ctrl-C.

                A line per phase goes to stdout, the job's progress to stderr. --json prints
                one document at the end: {"mode":..,"before":{...},"after":{...},"check":
                {...},"verification":{...},"phases":[...],"passed":..}.

                Exit codes: 0 the cluster is healthy and every key verified, 1 a check or
                the verification failed (named on stderr) or the job failed, 2 bad input,
                130 interrupted.
                """;
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt(KEYS).hasArg().argName("N")
                        .desc("how many keys to load; default " + DEFAULT_KEYS).get())
                .addOption(Option.builder().longOpt(DIRECT)
                        .desc("run the rebalance and the retag directly, without the versioned migrations").get());
    }

    /** One phase and how long it took. */
    record Phase(String name, long millis) {
    }

    /**
     * One {@code redis-server} the demo started.
     *
     * @param address {@code 127.0.0.1:port}
     * @param pid its process id
     * @param added whether it is the master added empty
     */
    record Node(String address, long pid, boolean added) {
    }

    /**
     * The one document of {@code --json}.
     *
     * @param mode {@code versioned} or {@code direct}
     * @param keys keys loaded
     * @param users users they belong to
     * @param redis the redis-server that ran
     * @param nodes the processes started
     * @param before the layout after loading
     * @param after the layout after the job; {@code null} if it did not get that far
     * @param check the cluster check after the job; {@code null} if it did not get that far
     * @param verification what reading every key back found; {@code null} if it did not get that far
     * @param phases each phase's time
     * @param totalMillis the time of all of them
     * @param passed whether the check, the verification and the summary found nothing wrong
     * @param failures what they found
     */
    record Report(String mode, int keys, int users, String redis, List<Node> nodes, DemoSummary before,
            DemoSummary after, CheckReport check, DemoVerification verification, List<Phase> phases, long totalMillis,
            boolean passed, List<String> failures) {
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        int keys = invocation.line().hasOption(KEYS)
                ? (int) Moves.number(invocation.line(), KEYS, 1, MAX_KEYS) : DEFAULT_KEYS;
        Demo demo = new Demo(invocation, keys, invocation.line().hasOption(DIRECT));
        Report report;
        try {
            report = StopOnSignal.run(demo::run);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (StopOnSignal.signalled()) {
                throw new MigrateException(MigrateErrorCode.INTERRUPTED, "demo interrupted; every process it started "
                        + "was stopped", e);
            }
            throw e;
        }
        Io io = invocation.io();
        if (invocation.json()) {
            Json.print(io, report);
        } else {
            io.print("\n" + phases(report.phases(), report.totalMillis()));
            if (report.passed()) {
                io.print(String.format(Locale.ROOT, "demo passed in %s: the cluster is healthy, all %d keys are "
                        + "as loaded, %s of users have their keys in one slot%n", seconds(report.totalMillis()),
                        report.keys(), DemoSummary.percent(report.after().coLocatedUsers(), report.after().users())));
            }
        }
        if (!report.passed()) {
            io.out().flush();
            report.failures().forEach(f -> io.err().println("reslot: demo failed: " + f));
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }

    /** The table of phases and their times, with the total, ending with a newline. */
    static String phases(List<Phase> phases, long totalMillis) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PHASE", "TIME"));
        phases.forEach(p -> rows.add(List.of(p.name(), seconds(p.millis()))));
        rows.add(List.of("total", seconds(totalMillis)));
        return TextTable.of(rows);
    }

    /** {@code 1.2 s}. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** One run: its state, printed as it goes. */
    private static final class Demo {

        private final Invocation invocation;
        private final int keys;
        private final boolean direct;
        private final Duration lease;
        private final List<Phase> phases = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private String redis;
        private DemoSummary before;
        private DemoSummary after;
        private CheckReport check;
        private DemoVerification verification;

        Demo(Invocation invocation, int keys, boolean direct) {
            this.invocation = invocation;
            this.keys = keys;
            this.direct = direct;
            this.lease = Moves.lockLease(invocation.env());
        }

        Report run() {
            long started = System.nanoTime();
            say(String.format(Locale.ROOT, "demo: %d keys on a sandbox cluster of %d masters and an empty one;"
                    + " rebalance and retag %s", keys, MASTERS, direct ? "directly (--direct)"
                    : "through the versioned migrations of examples/migrations"));
            LocalCluster cluster = null;
            ClusterAccess access = null;
            try {
                cluster = start();
                access = ClusterAccess.connect(AccessOptions.builder().seeds(nodes.stream().map(Node::address)
                        .toArray(String[]::new)).build());
                job(cluster, access);
            } finally {
                stop(cluster, access);
            }
            long total = (System.nanoTime() - started) / 1_000_000;
            return new Report(direct ? "direct" : "versioned", keys, DemoData.users(keys), redis, List.copyOf(nodes),
                    before, after, check, verification, List.copyOf(phases), total, failures.isEmpty(),
                    List.copyOf(failures));
        }

        /** Everything between starting the cluster and stopping it. */
        private void job(LocalCluster cluster, ClusterAccess access) {
            phase("load", () -> load(cluster, access));
            before = phase("before", () -> summary(cluster, access));
            table("before", before);
            if (direct) {
                phase("rebalance", () -> rebalance(access));
                phase("retag", () -> retag(access));
            } else {
                migrate(access);
            }
            check = phase("check", () -> check(access));
            verification = phase("verify", () -> verify(cluster, access));
            after = phase("after", () -> summary(cluster, access));
            table("after", after);
            judge();
        }

        /** Starts the cluster: the phases {@code start} and {@code add master}. */
        private LocalCluster start() {
            LocalCluster cluster = phase("start " + MASTERS + " masters", () -> LocalCluster.builder().masters(MASTERS)
                    .replicas(0).start());
            try {
                ClusterNode added = phase("add empty master", cluster::addMaster);
                redis = "redis-server " + cluster.redis().version() + " ("
                        + cluster.redis().source().name().toLowerCase(Locale.ROOT) + ")";
                for (ClusterNode node : cluster.nodes()) {
                    nodes.add(new Node(node.address(), node.pid(), node.equals(added)));
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            say("started " + MASTERS + " masters and an empty one, " + redis + ": " + nodes.stream()
                    .map(n -> n.address() + " pid " + n.pid() + (n.added() ? " (empty)" : ""))
                    .collect(Collectors.joining(", ")));
            return cluster;
        }

        private Void load(LocalCluster cluster, ClusterAccess access) {
            SetArgs session = SetArgs.Builder.px(DemoData.SESSION_TTL_MILLIS);
            List<RedisFuture<?>> pending = new ArrayList<>(2 * LOAD_BATCH);
            long withTtl = 0;
            try (DemoNodes pipelines = DemoNodes.open(cluster, access.topology())) {
                for (int from = 0; from < keys; from += LOAD_BATCH) {
                    pending.clear();
                    for (int i = from; i < Math.min(keys, from + LOAD_BATCH); i++) {
                        String name = DemoData.name(i);
                        int user = DemoData.user(i);
                        RedisAsyncCommands<String, String> node = pipelines.owner(name);
                        switch (DemoData.kind(i)) {
                            case PROFILE -> pending.add(node.hset(name, DemoData.profile(user)));
                            case CART -> pending.add(DemoData.cartIsList(user)
                                    ? node.rpush(name, DemoData.cart(user).toArray(String[]::new))
                                    : node.sadd(name, DemoData.cart(user).toArray(String[]::new)));
                            case SESSION -> pending.add(node.set(name, DemoData.session(user), session));
                        }
                        if (DemoData.kind(i) == DemoData.Kind.CART && DemoData.ttlMillis(i) > 0) {
                            pending.add(node.pexpire(name, DemoData.ttlMillis(i)));
                        }
                        withTtl += DemoData.ttlMillis(i) > 0 ? 1 : 0;
                    }
                    pipelines.flushAndAwait(pending);
                    for (RedisFuture<?> future : pending) {
                        try {
                            future.toCompletableFuture().join();
                        } catch (CompletionException e) {
                            throw new IllegalStateException("loading keys failed: " + e.getCause().getMessage(),
                                    e.getCause());
                        }
                    }
                }
            }
            say(String.format(Locale.ROOT, "loaded %d keys of %d users: profiles (hashes), carts (lists and sets), "
                    + "sessions (strings); %d with a TTL", keys, DemoData.users(keys), withTtl));
            return null;
        }

        private DemoSummary summary(LocalCluster cluster, ClusterAccess access) {
            try (DemoNodes pipelines = DemoNodes.open(cluster, access.topology())) {
                return DemoSummary.read(pipelines);
            }
        }

        private void migrate(ClusterAccess access) {
            Callback progress = MigrateCommand.progress(invocation, access);
            long started = System.nanoTime();
            MigrateResult result;
            try (RedisVersioning versioning = RedisVersioning.configure().cluster(access).locations(MIGRATIONS)
                    .lockLease(lease).callbacks(progress).load()) {
                result = versioning.migrate();
            }
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            long inMigrations = 0;
            for (MigrateResult.Applied applied : result.migrations()) {
                String name = "V" + applied.version() + " " + applied.description();
                phases.add(new Phase(name, applied.executionMillis()));
                inMigrations += applied.executionMillis();
                say("applied " + name + " in " + seconds(applied.executionMillis()));
            }
            // reading the scripts, the lock and the history: the versioning's own share of the time
            phases.add(new Phase("migrate (history, lock)", Math.max(0, elapsed - inMigrations)));
            say("now at version " + result.currentVersion());
        }

        private Void rebalance(ClusterAccess access) {
            Plan plan = Planner.rebalance(access.topology(), RebalanceOptions.builder().useEmptyMasters(true).build());
            JobOutcome outcome;
            try (Progress.Moving moving = Progress.forInvocation(invocation).moves("rebalance")) {
                outcome = Jobs.run(access, plan, MoverOptions.defaults(), lease, moving);
            }
            say("rebalance: " + Moves.summary(plan.slotCount(), outcome).strip());
            return null;
        }

        private Void retag(ClusterAccess access) {
            RetagCounts counts;
            try (Progress.Retagging retagging = Progress.forInvocation(invocation).retag("retag",
                    RetagCommand.keyCount(access))) {
                counts = Retag.run(access, Rules.of(List.of(TAG_USERS)), RetagOptions.builder().lockLease(lease)
                        .build(), retagging);
            }
            say("retag: " + RetagCommand.summary(RetagOptions.Mode.MOVE, counts).strip());
            return null;
        }

        /** The check, again while it finds problems, for up to {@link #CHECK_SETTLE}: gossip may lag the job. */
        private CheckReport check(ClusterAccess access) {
            long deadline = System.nanoTime() + CHECK_SETTLE.toNanos();
            CheckReport report = ClusterCheck.check(access);
            while (!report.isHealthy() && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(CHECK_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                report = ClusterCheck.check(access);
            }
            say("check: " + report.table().strip().replace("\n", "\n  "));
            if (!report.isHealthy()) {
                failures.add("the check found " + report.problems().size() + " problems: " + report.problems()
                        .stream().map(CheckReport.Problem::message).collect(Collectors.joining("; ")));
            }
            return report;
        }

        private DemoVerification verify(LocalCluster cluster, ClusterAccess access) {
            DemoVerification found;
            try (DemoNodes pipelines = DemoNodes.open(cluster, access.topology())) {
                found = DemoVerification.verify(pipelines, keys);
            }
            if (found.passed()) {
                say("verified all " + keys + " keys: each under its new name, with its value, and a TTL (not longer"
                        + " than loaded) exactly where it had one");
            } else {
                failures.add(String.format(Locale.ROOT, "of %d keys read back, %d are missing, %d hold another value, "
                        + "%d have a wrong TTL; e.g. %s", found.keys(), found.missing(), found.wrongValue(),
                        found.wrongTtl(), String.join("; ", found.examples())));
                say("verification failed: " + found.missing() + " missing, " + found.wrongValue() + " wrong value, "
                        + found.wrongTtl() + " wrong TTL");
            }
            return found;
        }

        /** What the "after" summary must show, added to {@link #failures}. */
        private void judge() {
            if (after.untaggedUserKeys() > 0) {
                failures.add(after.untaggedUserKeys() + " keys are left under an old name (user:<id>:...)");
            }
            if (after.keys() != keys || after.dbsize() - after.reslotKeys() != keys) {
                failures.add(String.format(Locale.ROOT, "the masters hold %d keys (DBSIZE %d, %d of them reslot's own),"
                        + " not the %d loaded", after.keys(), after.dbsize(), after.reslotKeys(), keys));
            }
            if (after.coLocatedUsers() != after.users() || after.users() != DemoData.users(keys)) {
                failures.add(after.coLocatedUsers() + " of " + after.users() + " users have their keys in one slot"
                        + " (" + DemoData.users(keys) + " loaded)");
            }
            Optional<Node> added = nodes.stream().filter(Node::added).findFirst();
            DemoSummary.Master master = added.map(n -> after.master(n.address())).orElse(null);
            if (master == null || master.slots() == 0 || master.keys() == 0) {
                failures.add("the master added empty got no slots or no keys: " + master);
            }
            if (failures.isEmpty()) {
                say("no key under an old name; DBSIZE " + after.dbsize() + " = " + keys + " loaded + "
                        + after.reslotKeys() + " of reslot's own ({reslot}:...)");
            }
        }

        /** Stops everything started, timed as the phase {@code stop}, and checks that the processes are gone. */
        private void stop(LocalCluster cluster, ClusterAccess access) {
            long started = System.nanoTime();
            // Ctrl-C interrupts this thread; closing must still wait for the processes to exit
            boolean interrupted = Thread.interrupted();
            try {
                if (access != null) {
                    access.close();
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            phases.add(new Phase("stop", (System.nanoTime() - started) / 1_000_000));
            List<Long> alive = nodes.stream().map(Node::pid)
                    .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
            if (!alive.isEmpty()) {
                failures.add("redis-server processes still running after the stop: pids " + alive);
            }
            if (cluster != null) {
                say("stopped " + nodes.size() + " redis-server processes (pids " + nodes.stream().map(n -> "" + n.pid())
                        .collect(Collectors.joining(" ")) + ") and deleted " + cluster.directory());
            }
        }

        private <T> T phase(String name, Supplier<T> work) {
            long started = System.nanoTime();
            T result = work.get();
            phases.add(new Phase(name, (System.nanoTime() - started) / 1_000_000));
            return result;
        }

        private void table(String name, DemoSummary summary) {
            if (!invocation.json()) {
                String added = nodes.stream().filter(Node::added).map(Node::address).findFirst().orElse(null);
                print("\n" + name + ":\n" + summary.text(added) + "\n");
            }
        }

        /** A phase's line: on stdout, or with {@code --json} on stderr (none with {@code -q}). */
        /** A phase's line: on stdout; with {@code --json}, a {@code phase} event on stderr (stdout has one document). */
        private void say(String line) {
            if (!invocation.json()) {
                print(line + "\n");
            } else {
                Progress.forInvocation(invocation).note(line, new PhaseEvent("phase", line));
            }
        }

        /** {@code --json}: a phase of the demo, as its line says it. */
        record PhaseEvent(String event, String text) {
        }

        private void print(String text) {
            try {
                invocation.io().print(text);
                invocation.io().out().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
