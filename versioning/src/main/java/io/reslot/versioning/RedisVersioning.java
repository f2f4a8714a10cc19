package io.reslot.versioning;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Permissions;
import io.reslot.migrate.Topology;
import io.reslot.migrate.internal.Identity;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.rewrite.RewriteException;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * Versioned migrations of a cluster's layout, applied the way Flyway applies database migrations, with the history
 * and the lock in the cluster itself.
 *
 * <pre>{@code
 * try (ClusterAccess cluster = ClusterAccess.connect(AccessOptions.builder().seeds("10.0.0.1:7000").build())) {
 *     RedisVersioning versioning = RedisVersioning.configure()
 *             .cluster(cluster)
 *             .locations("filesystem:db/redis", "classpath:db/redis")
 *             .load();
 *     versioning.validate();
 *     MigrateResult result = versioning.migrate();
 * }
 * }</pre>
 *
 * <p>{@link #migrate()} takes the cluster's lock for the whole run (the same lease lock the engine's jobs and the
 * rewriter take, so no reshard or retag runs meanwhile), reads the history after taking it, validates, and applies
 * the pending migrations in version order. Each migration is recorded as running before its first step, its
 * checkpoint after every step, and a success or a failure at the end; a migration that failed or whose run died is
 * continued from its checkpoint by the next run, as long as it did not change.
 *
 * <p>Every migration is read and checked when a method is called, before the cluster is changed: a bad script fails
 * with {@link VersioningErrorCode#BAD_SCRIPT}. Thread-safe; methods that change the cluster exclude each other
 * through the lock.
 */
public final class RedisVersioning implements AutoCloseable {

    private final Configuration config;
    private final ClusterAccess access;
    private final boolean ownsAccess;
    private final History history;

    private RedisVersioning(Configuration config, ClusterAccess access, boolean ownsAccess) {
        this.config = config;
        this.access = access;
        this.ownsAccess = ownsAccess;
        this.history = new History(access.metadata());
    }

    /** Starts a configuration; {@link Configuration#load()} ends it. */
    public static Configuration configure() {
        return new Configuration();
    }

    /**
     * Applies every pending migration up to the target, and continues a failed or interrupted one.
     *
     * @return what was applied; nothing when everything is up to date
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} or {@link VersioningErrorCode#DUPLICATE_VERSION}
     *     if the migrations found are not valid; {@link VersioningErrorCode#LOCKED} if another run holds the lock;
     *     {@link VersioningErrorCode#VALIDATION_FAILED} listing every problem {@link #validate()} would;
     *     {@link VersioningErrorCode#BAD_INPUT} if a script's step names a node that is not a master of the cluster
     *     (see {@link #checkNodes}; all of these before anything is changed); {@link VersioningErrorCode#FAILED} or {@link VersioningErrorCode#INTERRUPTED}
     *     if a migration stopped part way: it is recorded as failed with its checkpoint, and the message says which
     *     step and that running again continues it
     */
    public MigrateResult migrate() {
        List<ResolvedMigration> found = resolve();
        long started = System.nanoTime();
        try (LeaseLock lock = lock("migrate")) {
            List<MigrationStates.Row> rows = rowsUnderLock(found);
            MigrationVersion initial = currentVersion(rows);
            for (Callback callback : config.callbacks()) {
                callback.beforeMigrate();
            }
            checkNodes(toApply(rows));
            List<MigrateResult.Applied> applied = new ArrayList<>();
            for (MigrationStates.Row row : toApply(rows)) {
                applied.add(new Apply(this, lock, row).run());
            }
            MigrateResult result = new MigrateResult(initial, currentVersion(rows(found, history.read())), applied,
                    (System.nanoTime() - started) / 1_000_000);
            for (Callback callback : config.callbacks()) {
                callback.afterMigrate(result);
            }
            return result;
        } catch (VersioningException e) {
            if (!(e instanceof Apply.Failure)) {
                onError(null, e);
            }
            throw e;
        }
    }

    /**
     * Checks that every node the steps still to run of {@code rows} name (a target, a source, a node to drain or to
     * weigh) is one master of the cluster now, so that such a script is refused before its history entry is written
     * rather than recorded as failed at that step. Steps add no nodes and make no replica a master, so a name that
     * fails here would fail there.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_INPUT} naming the migration, the step and the node
     */
    private void checkNodes(List<MigrationStates.Row> rows) {
        Topology topology = null;
        for (MigrationStates.Row row : rows) {
            List<Step> steps = row.found().steps();
            int done = row.entry() == null ? 0 : row.entry().stepsDone();
            for (int i = done; i < steps.size(); i++) {
                if (i == done && row.entry() != null && row.entry().checkpoint() != null
                        && row.entry().checkpoint().jobId() != null) {
                    // continued by finishing its job, whose plan names the nodes (a target that failed over is
                    // followed to its replica); its own names are not asked for again
                    continue;
                }
                for (String ref : nodes(steps.get(i))) {
                    topology = topology != null ? topology : access.topology();
                    String problem;
                    try {
                        NodeInfo node = topology.node(ref);
                        problem = node.isMaster() ? null : "'" + ref + "' is " + node.address() + ", a replica; name "
                                + "a master";
                    } catch (MigrateException e) {
                        problem = e.getMessage();
                    }
                    if (problem != null) {
                        throw new VersioningException(VersioningErrorCode.BAD_INPUT, row.info().name() + " step "
                                + (i + 1) + " (" + steps.get(i).name() + "): " + problem + ". Nothing was changed");
                    }
                }
            }
        }
    }

    /** The nodes {@code step} names. */
    private static List<String> nodes(Step step) {
        if (step instanceof Step.Reshard reshard) {
            List<String> nodes = new ArrayList<>(reshard.from());
            nodes.add(reshard.to());
            return nodes;
        }
        if (step instanceof Step.MoveSlots moveSlots) {
            return List.of(moveSlots.to());
        }
        if (step instanceof Step.Rebalance rebalance) {
            return List.copyOf(rebalance.weight().keySet());
        }
        return step instanceof Step.Drain drain ? List.of(drain.node()) : List.of();
    }

    /**
     * What {@link #migrate()} would do, changing nothing and without the lock: the migrations it would apply and the
     * plan of each of their steps (see {@link MigratePlan} for what the plans can and cannot say).
     *
     * @throws VersioningException as {@link #migrate()} before it changes anything, but never
     *     {@link VersioningErrorCode#LOCKED}
     */
    public MigratePlan dryRun() {
        List<MigrationStates.Row> rows = rows(resolve(), history.read());
        requireValid(rows);
        List<MigratePlan.PlannedMigration> planned = new ArrayList<>();
        for (MigrationStates.Row row : toApply(rows)) {
            planned.add(Steps.plan(access, row));
        }
        return new MigratePlan(planned);
    }

    /**
     * Every migration found or applied, with its state, by version.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} or {@link VersioningErrorCode#DUPLICATE_VERSION}
     *     if the migrations found are not valid; {@link VersioningErrorCode#FAILED} if the history cannot be read
     */
    public List<MigrationInfo> info() {
        return rows(resolve(), history.read()).stream().map(MigrationStates.Row::info).toList();
    }

    /**
     * Compares the history with the migrations found, without the lock and changing nothing.
     *
     * @return valid, or every problem: an applied migration whose checksum changed (naming both checksums), one that
     *     is not found any more, one never applied that is older than the newest applied and may not run out of order
     * @throws VersioningException as {@link #info()}
     */
    public ValidateResult validate() {
        List<String> problems = MigrationStates.problems(rows(resolve(), history.read()));
        return new ValidateResult(problems.isEmpty(), problems);
    }

    /**
     * Marks the cluster as being at {@code version} already: migrations up to it are never applied. Only on an empty
     * history.
     *
     * @return the baseline entry
     * @throws VersioningException {@link VersioningErrorCode#BAD_INPUT} if the version is not valid or the history is
     *     not empty; {@link VersioningErrorCode#LOCKED} if another run holds the lock
     * @throws NullPointerException if {@code version} is null
     */
    public MigrationInfo baseline(String version) {
        MigrationVersion parsed = parseVersion(version, "baseline version");
        try (LeaseLock lock = lock("baseline")) {
            List<HistoryEntry> entries = history.read();
            if (!entries.isEmpty()) {
                throw new VersioningException(VersioningErrorCode.BAD_INPUT, "cannot baseline: the history "
                        + History.KEY + " already has " + entries.size() + " entries (the newest is V"
                        + entries.get(entries.size() - 1).version() + "); a baseline is only for a cluster that "
                        + "versioning has not touched. Nothing was changed");
            }
            lock.checkHeld();
            HistoryEntry entry = history.add(new HistoryEntry(0, parsed, "<< Baseline >>", MigrationType.BASELINE,
                    "<< Baseline >>", null, Identity.userAtHost(), now(), 0, HistoryEntry.State.SUCCESS, null));
            return MigrationInfo.of(null, entry, MigrationState.BASELINE);
        }
    }

    /**
     * What {@link #repair()} would do, changing nothing.
     *
     * @throws VersioningException as {@link #info()}
     */
    public RepairResult repairPreview() {
        return repair(rows(resolve(), history.read()), null);
    }

    /**
     * Removes the failed entries from the history (so that {@code migrate} applies those migrations anew rather than
     * continue them) and sets the stored checksum and description of every applied migration to those of the
     * migration found.
     *
     * @return what it did
     * @throws VersioningException as {@link #info()}; {@link VersioningErrorCode#LOCKED} if another run holds the
     *     lock
     */
    public RepairResult repair() {
        List<ResolvedMigration> found = resolve();
        try (LeaseLock lock = lock("repair")) {
            return repair(rows(found, history.read()), lock);
        }
    }

    private RepairResult repair(List<MigrationStates.Row> rows, LeaseLock lock) {
        List<MigrationVersion> removed = new ArrayList<>();
        List<MigrationVersion> realigned = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (MigrationStates.Row row : rows) {
            HistoryEntry entry = row.entry();
            if (entry == null) {
                continue;
            }
            String name = row.info().name();
            if (entry.state() == HistoryEntry.State.FAILED) {
                removed.add(entry.version());
                actions.add("remove the failed entry of " + name + " (rank " + entry.rank() + ", stopped after "
                        + entry.stepsDone() + " steps); migrate applies it anew");
                if (lock != null) {
                    lock.checkHeld();
                    history.remove(entry.rank());
                }
            } else if (row.found() != null && (!row.found().checksum().equals(entry.checksum())
                    || !row.found().description().equals(entry.description()))) {
                realigned.add(entry.version());
                actions.add("realign " + name + ": checksum " + entry.checksum() + " -> " + row.found().checksum()
                        + (row.found().description().equals(entry.description()) ? ""
                                : ", description \"" + entry.description() + "\" -> \"" + row.found().description()
                                        + "\""));
                if (lock != null) {
                    lock.checkHeld();
                    history.update(entry.withChecksum(row.found().checksum(), row.found().description()));
                }
            }
        }
        return new RepairResult(removed, realigned, actions);
    }

    /** Closes the connection if this opened it ({@link Configuration#connect}); otherwise does nothing. */
    @Override
    public void close() {
        if (ownsAccess) {
            access.close();
        }
    }

    // --- the run -----------------------------------------------------------------------------------------------

    Configuration config() {
        return config;
    }

    ClusterAccess access() {
        return access;
    }

    History history() {
        return history;
    }

    void onError(MigrationInfo migration, VersioningException e) {
        for (Callback callback : config.callbacks()) {
            try {
                callback.onError(migration, e);
            } catch (RuntimeException ignored) {
                // the failure being reported matters more than the callback's own
            }
        }
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private List<ResolvedMigration> resolve() {
        return new MigrationResolver(config.classLoader).resolve(config.locations, config.javaMigrations);
    }

    private List<MigrationStates.Row> rows(List<ResolvedMigration> found, List<HistoryEntry> entries) {
        return MigrationStates.of(found, entries, config.target, config.outOfOrder);
    }

    /** The rows from the history as it is now that this run holds the lock, validated. */
    private List<MigrationStates.Row> rowsUnderLock(List<ResolvedMigration> found) {
        List<MigrationStates.Row> rows = rows(found, history.read());
        requireValid(rows);
        return rows;
    }

    private static void requireValid(List<MigrationStates.Row> rows) {
        List<String> problems = MigrationStates.problems(rows);
        if (!problems.isEmpty()) {
            throw new VersioningException(VersioningErrorCode.VALIDATION_FAILED, "validation failed, nothing was "
                    + "changed: " + String.join("; and ", problems));
        }
    }

    /** What migrate applies or continues, in version order, up to the target. */
    private List<MigrationStates.Row> toApply(List<MigrationStates.Row> rows) {
        return rows.stream().filter(row -> row.found() != null)
                .filter(row -> row.state() == MigrationState.PENDING
                        || ((row.state() == MigrationState.FAILED || row.state() == MigrationState.RUNNING)
                                && (config.target == null || row.version().compareTo(config.target) <= 0)))
                .toList();
    }

    private static MigrationVersion currentVersion(List<MigrationStates.Row> rows) {
        MigrationVersion current = null;
        for (MigrationStates.Row row : rows) {
            if (row.state() == MigrationState.SUCCESS || row.state() == MigrationState.OUT_OF_ORDER
                    || row.state() == MigrationState.BASELINE || row.state() == MigrationState.FUTURE
                    || row.state() == MigrationState.MISSING) {
                current = current == null || row.version().compareTo(current) > 0 ? row.version() : current;
            }
        }
        return current;
    }

    private LeaseLock lock(String purpose) {
        try {
            // migrate runs steps of any kind; baseline and repair write only the history
            Permissions.require(access, purpose.equals("migrate") ? new Permissions.Operation[] {
                    Permissions.Operation.HISTORY, Permissions.Operation.MOVE, Permissions.Operation.RETAG}
                    : new Permissions.Operation[] {Permissions.Operation.HISTORY});
            return LeaseLock.acquire(access.metadata(), purpose, config.lockLease);
        } catch (MigrateException e) {
            throw new VersioningException(e.code() == MigrateErrorCode.LOCKED ? VersioningErrorCode.LOCKED
                    : VersioningErrorCode.FAILED, e.getMessage(), e);
        }
    }

    private static MigrationVersion parseVersion(String version, String what) {
        Objects.requireNonNull(version, what);
        try {
            return MigrationVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new VersioningException(VersioningErrorCode.BAD_INPUT, what + ": " + e.getMessage(), e);
        }
    }

    /** Turns a step's exception into this module's, keeping the kinds the CLI tells apart. */
    static VersioningErrorCode codeOf(RuntimeException e) {
        if (e instanceof VersioningException v) {
            return v.code();
        }
        String code = e instanceof MigrateException m ? m.code().name()
                : e instanceof RewriteException r ? r.code().name() : "";
        return switch (code) {
            case "LOCKED" -> VersioningErrorCode.LOCKED;
            case "INTERRUPTED" -> VersioningErrorCode.INTERRUPTED;
            default -> VersioningErrorCode.FAILED;
        };
    }

    /**
     * How migrations are found and applied; {@link #load()} makes the {@link RedisVersioning}. Not thread-safe; the
     * {@link RedisVersioning} it makes keeps a copy.
     */
    public static final class Configuration {

        private ClusterAccess cluster;
        private AccessOptions connect;
        private List<Location> locations = List.of();
        private List<RedisMigration> javaMigrations = List.of();
        private MigrationVersion target;
        private boolean outOfOrder;
        private Duration lockLease = Jobs.DEFAULT_LOCK_LEASE;
        private List<Callback> callbacks = List.of();
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : RedisVersioning.class.getClassLoader();

        private Configuration() {
        }

        private Configuration(Configuration other) {
            cluster = other.cluster;
            connect = other.connect;
            locations = other.locations;
            javaMigrations = other.javaMigrations;
            target = other.target;
            outOfOrder = other.outOfOrder;
            lockLease = other.lockLease;
            callbacks = other.callbacks;
            classLoader = other.classLoader;
        }

        /** The cluster, through a connection the caller keeps and closes. */
        public Configuration cluster(ClusterAccess value) {
            cluster = Objects.requireNonNull(value, "cluster");
            connect = null;
            return this;
        }

        /** The cluster, through a connection {@link #load()} opens and {@link RedisVersioning#close()} closes. */
        public Configuration connect(AccessOptions value) {
            connect = Objects.requireNonNull(value, "connect");
            cluster = null;
            return this;
        }

        /**
         * Where migrations are looked for: {@code filesystem:DIR} (or a plain directory) and
         * {@code classpath:PACKAGE} ({@code classpath:db/redis}), with their subdirectories.
         *
         * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} naming a location that is not valid
         */
        public Configuration locations(String... values) {
            locations = Arrays.stream(values).map(Location::parse).toList();
            return this;
        }

        /** Java migrations given as objects, in addition to those found in {@code classpath:} locations. */
        public Configuration javaMigrations(RedisMigration... values) {
            javaMigrations = List.of(values);
            return this;
        }

        /**
         * The newest version {@code migrate} applies; {@code "latest"} or null for all (the default).
         *
         * @throws VersioningException {@link VersioningErrorCode#BAD_INPUT} if it is not a valid version
         */
        public Configuration target(String value) {
            target = value == null || value.equals("latest") ? null : parseVersion(value, "target");
            return this;
        }

        /** Whether a migration older than the newest applied one may still be applied; false by default. */
        public Configuration outOfOrder(boolean value) {
            outOfOrder = value;
            return this;
        }

        /**
         * The lease of the cluster's lock ({@link Jobs#DEFAULT_LOCK_LEASE} by default): how long the lock of a run
         * that died blocks the next run.
         *
         * @throws IllegalArgumentException if it is shorter than {@link Jobs#MIN_LOCK_LEASE}
         */
        public Configuration lockLease(Duration value) {
            requireArgument(value.compareTo(Jobs.MIN_LOCK_LEASE) >= 0, "the lock lease must be at least %d ms, not "
                    + "%d ms", Jobs.MIN_LOCK_LEASE.toMillis(), value.toMillis());
            lockLease = value;
            return this;
        }

        /** Hooks into {@code migrate}; replaces those given before. */
        public Configuration callbacks(Callback... values) {
            callbacks = List.of(values);
            return this;
        }

        /** Where {@code classpath:} locations are searched; the thread's context class loader by default. */
        public Configuration classLoader(ClassLoader value) {
            classLoader = Objects.requireNonNull(value, "classLoader");
            return this;
        }

        List<Callback> callbacks() {
            return callbacks;
        }

        Duration lockLease() {
            return lockLease;
        }

        /**
         * Reads every location and parses every script, as each command does first, without touching a cluster: a
         * bad location, script or version is reported before a connection is even opened.
         *
         * @return how many migrations were found
         * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} or
         *     {@link VersioningErrorCode#DUPLICATE_VERSION}, naming the file (and line and column)
         */
        public int check() {
            return new MigrationResolver(classLoader).resolve(locations, javaMigrations).size();
        }

        /**
         * Makes the {@link RedisVersioning}; opens the connection if {@link #connect} was given.
         *
         * @throws IllegalStateException if neither {@link #cluster} nor {@link #connect} was given, or no location
         *     nor Java migration
         * @throws MigrateException if the connection cannot be opened
         */
        public RedisVersioning load() {
            if (cluster == null && connect == null) {
                throw new IllegalStateException("no cluster: call cluster(ClusterAccess) or connect(AccessOptions)");
            }
            if (locations.isEmpty() && javaMigrations.isEmpty()) {
                throw new IllegalStateException("no migrations: call locations(...) or javaMigrations(...)");
            }
            Configuration copy = new Configuration(this);
            return cluster != null ? new RedisVersioning(copy, cluster, false)
                    : new RedisVersioning(copy, ClusterAccess.connect(connect), true);
        }
    }
}
