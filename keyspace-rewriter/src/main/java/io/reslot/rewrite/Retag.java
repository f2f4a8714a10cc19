package io.reslot.rewrite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Permissions;
import io.reslot.migrate.Topology;
import io.reslot.migrate.internal.KeyText;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.KeyMove.Outcome;
import io.reslot.rewrite.RetagOptions.Mode;

/**
 * Applies the rules to every key they match, on a live cluster, in one of the {@link RetagOptions.Mode modes}:
 * move (the default), copy, cleanup or verify. Each master is scanned by its own thread; each page's keys are handled
 * with {@link KeyMove}, pipelined through the slot-routed connection, up to {@link RetagOptions#inFlight()} keys at
 * once per master.
 *
 * <p>A run is resumable: after each page, once its keys are done, the master's SCAN cursor is saved in the cluster
 * ({@code {reslot}:retag}), and a run started again with the same rules, mode and policy continues from the saved
 * cursors (keys seen twice cost nothing). A move also lists each page's keys in a {@link Journal} before it starts on
 * them, and its scripts record each copy they make and each old name they delete in the page's {@link Ledger}, so that
 * the next run knows which copies under new names are its own, unfinished ones (copied, old name not deleted), and
 * which old names clients wrote again after their key moved (deleted); every other key found under both names is a
 * conflict, because a client writing an old name after its key moved can make the two equal by chance.
 * The cluster's lease lock keeps two runs (retags, or slot moves) apart. SCAN may miss a key whose slot moved to
 * another master during the scan, so when the slot layout changed during a move (or the run continues an earlier
 * one), the masters are scanned again, up to {@value #VERIFY_PASSES} times, until a pass finds nothing left to move.
 */
public final class Retag {

    /**
     * Where a run's progress is kept: a hash of {@code fingerprint}, {@code cursor:<master id>},
     * {@code runid:<master id>}, and {@code conflict}: the old name (Base64) a run stopped on with {@code CONFLICT}.
     */
    static final String STATE_KEY = "{reslot}:retag";
    /** Saves KEYS[1]'s field ARGV[1] = ARGV[2] (a cursor) and deletes the journal KEYS[2], together. */
    private static final String CHECKPOINT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('DEL', KEYS[2])
            return 1
            """;
    /** How long a page's journal waits for a replica of the master of reslot's records. */
    private static final long JOURNAL_WAIT_MILLIS = 1000;
    /** Scans after the first, to catch keys the first missed; each moves what it finds. */
    static final int VERIFY_PASSES = 3;

    /** Receives the counts so far after every page; called from several threads. */
    @FunctionalInterface
    public interface Listener {

        /** A listener that ignores everything. */
        Listener NONE = counts -> { };

        void progress(RetagCounts total);
    }

    /**
     * Where a test can stop a run as a crash would, by throwing: nothing is tidied up on the way out (the lock
     * aside), so the cluster is left as a killed run leaves it. Called from the scanning threads.
     */
    @FunctionalInterface
    interface Hook {

        /** A hook that does nothing. */
        Hook NONE = (point, master) -> { };

        void at(Point point, NodeInfo master);

        /** The moments a killed run can leave a page in. */
        enum Point {
            /** On a page's source node: its keys bound for other nodes are copied, their old names not deleted. */
            COPIED,
            /** A page's keys are moved, its cursor is not saved (nor its journal cleared). */
            MOVED
        }
    }

    private final ClusterAccess access;
    private final Rules rules;
    private final RetagOptions options;
    private final Listener listener;
    private final Hook hook;
    private final KeyMove keyMove;
    /** Who served which slots when the run started: where the batches' scripts go, and the ledgers' slots. */
    private final Topology topology;
    private final BatchMove batchMove;
    private final AtomicReference<RetagCounts> total = new AtomicReference<>(RetagCounts.NONE);
    /**
     * Old names a stopped run moved (its ledger says it deleted them) that exist again: written by clients since,
     * they hold writes of their own, as do the moved keys; the first scan leaves them, as it would have had the run
     * not stopped, and the checks after it count them as left.
     */
    private final Set<ByteBuffer> movedBefore = ConcurrentHashMap.newKeySet();
    /**
     * The old name an earlier run stopped on with {@code CONFLICT}, if it did: the one taken new name a continued
     * scan treats as the policy says, since the operator has seen it; it leaves the others ({@code leaveTaken}).
     */
    private ByteBuffer stoppedOn;
    /** Each master's {@code run_id} as the run starts: which process its saved SCAN cursor must come from. */
    private final Map<String, String> runIds = new ConcurrentHashMap<>();
    /** Keys the current check found under their old name with their new name taken. */
    private final java.util.concurrent.atomic.AtomicLong left = new java.util.concurrent.atomic.AtomicLong();
    private LeaseLock lock;

    private Retag(ClusterAccess access, Rules rules, RetagOptions options, Listener listener, Hook hook) {
        this.access = access;
        this.rules = rules;
        this.options = options;
        this.listener = listener;
        this.hook = hook;
        this.keyMove = new KeyMove(access.keys().async());
        this.topology = access.topology();
        this.batchMove = new BatchMove(access, topology, keyMove, hook);
    }

    /**
     * Does what {@link RetagOptions#mode()} says to every key {@code rules} match, under the cluster's lock.
     *
     * @return what it did
     * @throws RewriteException {@link RewriteErrorCode#LOCKED} if another run holds the lock;
     *     {@link RewriteErrorCode#CONFLICT} if a new name is taken and the policy is {@link OnConflict#FAIL} (keys of
     *     the pages before are done, the run can be started again after the conflict is resolved);
     *     {@link RewriteErrorCode#STOPPED} or another code if it stopped part way; starting it again continues
     */
    public static RetagCounts run(ClusterAccess access, Rules rules, RetagOptions options, Listener listener) {
        return run(access, rules, options, listener, Hook.NONE);
    }

    /** {@link #run(ClusterAccess, Rules, RetagOptions, Listener)}, calling {@code hook} at each {@link Hook.Point}. */
    static RetagCounts run(ClusterAccess access, Rules rules, RetagOptions options, Listener listener, Hook hook) {
        return new Retag(access, rules, options, listener, hook).run();
    }

    private RetagCounts run() {
        Permissions.require(access, Permissions.Operation.RETAG);
        try (LeaseLock held = LeaseLock.acquire(access.metadata(), "retag", options.lockLease())) {
            lock = held;
            String fingerprint = fingerprint();
            Map<String, String> saved = access.metadata().sync().hgetall(STATE_KEY);
            if (!fingerprint.equals(saved.get("fingerprint"))) {
                // another retag's progress, or none: start from the beginning
                for (String id : masterIds(saved)) {
                    discardJournal(id);
                }
                access.metadata().sync().del(STATE_KEY);
                access.metadata().sync().hset(STATE_KEY, "fingerprint", fingerprint);
                saved = Map.of();
            } else {
                String conflict = saved.get("conflict");
                stoppedOn = conflict == null ? null : ByteBuffer.wrap(Base64.getDecoder().decode(conflict));
                finishJournals(saved);
            }
            for (NodeInfo master : access.topology().masters()) {
                runIds.put(master.id(), runId(master));
            }
            String layout = layout();
            scanAll(saved, false);
            // SCAN returns every key that stays on its node the whole time; only keys whose slot moved meanwhile
            // can be missed. reslot's own slot moves wait for the lock, but another tool's may not.
            boolean slotsMoved = !saved.isEmpty() || !layout.equals(layout());
            for (int pass = 0; options.mode() == Mode.MOVE && slotsMoved && pass < VERIFY_PASSES; pass++) {
                long before = total.get().done();
                left.set(0);
                scanAll(Map.of(), true);
                if (total.get().done() == before) {
                    break; // nothing was left under an old name but keys whose new name is taken
                }
            }
            total.accumulateAndGet(new RetagCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, left.get()),
                    RetagCounts::plus);
            access.metadata().sync().del(STATE_KEY);
            return total.get();
        } catch (MigrateException e) {
            throw e.code() == MigrateErrorCode.LOCKED
                    ? new RewriteException(RewriteErrorCode.LOCKED, e.getMessage(), e)
                    : new RewriteException(RewriteErrorCode.STOPPED, e.getMessage(), e);
        } catch (RedisException e) {
            throw new RewriteException(RewriteErrorCode.STOPPED, "the retag stopped: " + e.getMessage()
                    + "; what was done is kept; run it again to continue", e);
        }
    }

    /**
     * Which master serves which slots, and which slots are open; equal before and after a scan when no slot moved
     * during it (or a slot is open, which makes it differ from any layout without open slots).
     */
    private String layout() {
        StringBuilder text = new StringBuilder();
        for (NodeInfo master : access.topology().masters()) {
            text.append(master.id()).append(' ').append(master.slots()).append(master.hasOpenSlots() ? " open" : "")
                    .append('\n');
        }
        return text.toString();
    }

    /** The masters a saved state names, and the current ones. */
    private List<String> masterIds(Map<String, String> saved) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        saved.keySet().stream().filter(f -> f.startsWith("cursor:")).forEach(f -> ids.add(f.substring(7)));
        access.topology().masters().forEach(m -> ids.add(m.id()));
        return new ArrayList<>(ids);
    }

    /**
     * The key of the {@link Journal} of {@code masterId}'s scan: the page whose moves are under way, written before they
     * start, deleted with the saving of the page's cursor.
     */
    private static byte[] journal(String masterId) {
        return (STATE_KEY + ":pending:" + masterId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Deletes the journal of {@code masterId}'s scan, left by a retag with other rules, and what can be found of its
     * ledger: the keys in its journaled slots and in the slots of its old names (those in the slots of new names it
     * gave, which these rules may not give, expire).
     */
    private void discardJournal(String masterId) {
        byte[] key = journal(masterId);
        byte[] value = access.keys().sync().get(key);
        access.keys().sync().del(key); // first: a ledger is never read without its journal, never part of one
        try {
            Journal journal = Journal.decode(value);
            Ledger ledger = Ledger.of(journal, topology);
            if (ledger != null) {
                ledger.discard(access.keys().async(), journal.names());
            }
        } catch (RewriteException e) {
            // a damaged journal: nothing to learn from it
        }
    }

    /**
     * Finishes the moves a stopped run left under way, as its ledger tells them apart (see {@link Ledger}): a key it
     * copied and did not delete is moved again, over its copy; an old name it deleted and clients wrote again is
     * left, and so is the moved key ({@link #movedBefore}); anything else is left to the scan, which meets the page
     * again and treats a taken new name as the policy says. A journal without a ledger (an older reslot's) makes
     * nothing this run's own.
     */
    private void finishJournals(Map<String, String> saved) {
        Semaphore inFlight = new Semaphore(options.inFlight());
        for (String id : masterIds(saved)) {
            byte[] key = journal(id);
            Journal journal = Journal.decode(access.keys().sync().get(key));
            Ledger ledger = Ledger.of(journal, topology);
            if (ledger != null && !journal.names().isEmpty()) {
                Page page = Page.sort(rules, journal.names());
                Ledger.Entries done = ledger.read(access.keys().async(), page.from(), page.to());
                Map<ByteBuffer, Integer> sharing = new HashMap<>(); // new name -> old names given it
                page.to().forEach(to -> sharing.merge(ByteBuffer.wrap(to), 1, Integer::sum));
                List<byte[]> ours = new ArrayList<>();
                for (int i = 0; i < page.from().size(); i++) {
                    byte[] from = page.from().get(i);
                    byte[] to = page.to().get(i);
                    if (done.deleted(from)) {
                        movedBefore.add(ByteBuffer.wrap(from));
                    } else if (done.copied(to) && sharing.get(ByteBuffer.wrap(to)) == 1) {
                        // a copy recorded under a name two old names share may be the other one's: neither is ours
                        ours.add(from);
                    }
                }
                if (!ours.isEmpty()) {
                    total.accumulateAndGet(movePage(null, ours, inFlight, Pass.FINISH, ledger, false),
                            RetagCounts::plus);
                }
            }
            access.keys().sync().del(key);
            if (ledger != null) {
                ledger.clear(access.keys().async()); // after the journal: nothing reads the ledger without it
            }
        }
    }

    /** Which scan a page belongs to. */
    private enum Pass {
        /** The first scan, resumable: the page is journaled, the cursor saved. */
        FIRST,
        /** Finishing the keys a stopped run journaled and its ledger says it copied: new names hold its copies. */
        FINISH,
        /** A check after the first scan: moves what it finds, leaves keys whose new name is taken. */
        VERIFY
    }

    /**
     * Scans every master at once, each from its saved cursor. The first scan saves cursors as it goes; a check
     * ({@code verify}) counts only what it moves, and leaves keys whose new name is taken: after the first scan such
     * a key is most likely one that a client wrote again under its old name after it moved, and replacing the moved
     * key with it would lose writes.
     */
    private void scanAll(Map<String, String> saved, boolean verify) {
        boolean continued = !saved.isEmpty();
        List<NodeInfo> masters = access.topology().masters();
        ExecutorService threads = Executors.newFixedThreadPool(masters.size(), runnable -> {
            Thread thread = new Thread(runnable, "reslot-retag");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> scans = new ArrayList<>();
            for (NodeInfo master : masters) {
                String savedCursor = saved.getOrDefault("cursor:" + master.id(), ScanCursor.INITIAL.getCursor());
                // A cursor means something only to the process that gave it: a master restarted since, or a replica
                // that took over, orders its keys anew, so its scan starts over. Either way a continued scan meets
                // old names of keys moved already, which clients may have written again (SCAN may return a key
                // twice, and a retag's deletes make the table it walks shrink and rehash), and a run that remembers
                // nothing of the keys it moved cannot tell those from conflicts: they are left, as the checks after
                // a scan leave them. Only the conflict the earlier run stopped on is treated as the policy says.
                boolean restarted = continued
                        && !String.valueOf(runIds.get(master.id())).equals(saved.get("runid:" + master.id()));
                boolean leaveTaken = !verify && continued;
                String cursor = restarted ? ScanCursor.INITIAL.getCursor() : savedCursor;
                if (!savedCursor.equals("done")) {
                    scans.add(threads.submit(() -> scan(master, cursor, verify ? Pass.VERIFY : Pass.FIRST,
                            leaveTaken)));
                }
            }
            for (Future<?> scan : scans) {
                try {
                    scan.get();
                } catch (ExecutionException e) {
                    scans.forEach(s -> s.cancel(true));
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted; what was done is kept; run the"
                    + " retag again to continue");
        } finally {
            threads.shutdownNow();
        }
    }

    private void scan(NodeInfo master, String from, Pass pass, boolean leaveTaken) {
        RedisCommands<byte[], byte[]> node = access.connection(master).sync();
        if (pass == Pass.FIRST) {
            access.metadata().sync().hset(STATE_KEY, "runid:" + master.id(), String.valueOf(runIds.get(master.id())));
        }
        ScanArgs args = Page.scanArgs(rules, options);
        Semaphore inFlight = new Semaphore(options.inFlight());
        ScanCursor cursor = ScanCursor.of(from);
        KeyScanCursor<byte[]> page;
        CompletableFuture<Void> cleared = CompletableFuture.completedFuture(null);
        do {
            lock.checkHeld();
            page = node.scan(cursor, args);
            // only a move deletes, so only a move needs to know which copies are its own
            Ledger ledger = pass == Pass.FIRST && options.mode() == Mode.MOVE ? Ledger.start(topology) : null;
            total.accumulateAndGet(movePage(master, page.getKeys(), inFlight, pass, ledger, leaveTaken),
                    RetagCounts::plus);
            cursor = page;
            if (pass == Pass.FIRST) {
                hook.at(Hook.Point.MOVED, master);
                // the cursor saved and the journal cleared at once: a stop between the two must not lose either
                access.keys().sync().<Long>eval(CHECKPOINT, ScriptOutputType.INTEGER,
                        new byte[][] {STATE_KEY.getBytes(StandardCharsets.UTF_8), journal(master.id())},
                        ("cursor:" + master.id()).getBytes(StandardCharsets.UTF_8),
                        (page.isFinished() ? "done" : page.getCursor()).getBytes(StandardCharsets.UTF_8));
                if (ledger != null) {
                    // after the checkpoint: with the journal gone, nothing reads it; answered while the next page moves
                    cleared = cleared.thenCombine(ledger.clearAsync(access.keys().async()), (a, b) -> null);
                }
            }
            listener.progress(total.get());
        } while (!page.isFinished());
        cleared.join();
    }

    /**
     * Moves the keys of one page that need it, and waits for them. With a {@code ledger} (a move's first scan, or the
     * finishing of a stopped one's page), the moves record in it what they do; in the first scan the page's keys are
     * listed in its journal first.
     */
    private RetagCounts movePage(NodeInfo master, List<byte[]> keys, Semaphore inFlight, Pass pass, Ledger ledger,
            boolean leaveTaken) {
        boolean verify = pass == Pass.VERIFY;
        OnConflict onConflict = verify || leaveTaken ? OnConflict.SKIP : options.onConflict();
        Page page = Page.sort(rules, keys);
        List<byte[]> from = page.from();
        List<byte[]> to = page.to();
        long leftMoved = 0;
        if (pass == Pass.FIRST && !movedBefore.isEmpty()) {
            from = new ArrayList<>();
            to = new ArrayList<>();
            for (int i = 0; i < page.from().size(); i++) {
                if (movedBefore.contains(ByteBuffer.wrap(page.from().get(i)))) {
                    leftMoved++; // moved by the stopped run: done already, see movedBefore
                } else {
                    from.add(page.from().get(i));
                    to.add(page.to().get(i));
                }
            }
        }
        if (pass == Pass.FIRST && ledger != null && !from.isEmpty()) {
            access.keys().sync().set(journal(master.id()), ledger.journal(from).encode());
            // The journal is the way to the page's ledger: lost with a master of reslot's records that failed over,
            // it would leave the page's copies unknown to the next run, which would leave them as taken names next
            // to the old keys clients go on writing. Best effort: a replica that cannot answer delays each page 1 s.
            access.awaitRecordsReplicated(topology, JOURNAL_WAIT_MILLIS);
        }
        List<CompletableFuture<Outcome>> moves;
        if (options.mode() == Mode.MOVE && pass != Pass.FINISH) {
            moves = batchMove.move(master, from, to, onConflict, ledger); // a page at a time: the common case, fast
        } else {
            moves = new ArrayList<>(from.size());
            for (int i = 0; i < from.size(); i++) {
                inFlight.acquireUninterruptibly();
                CompletableFuture<Outcome> move = (switch (options.mode()) {
                    case MOVE -> keyMove.moveAsync(from.get(i), to.get(i), onConflict, pass == Pass.FINISH, ledger);
                    case COPY -> keyMove.copyAsync(from.get(i), to.get(i), onConflict);
                    case CLEANUP -> keyMove.cleanupAsync(from.get(i), to.get(i));
                    case VERIFY -> keyMove.verifyAsync(from.get(i), to.get(i));
                }).toCompletableFuture();
                move.whenComplete((outcome, error) -> inFlight.release());
                moves.add(move);
            }
        }
        long[] outcomes = new long[Outcome.values().length];
        long leftTaken = 0; // skipped only because leaveTaken says so: the checks after the scan count those as left
        RewriteException failed = null;
        for (int i = 0; i < moves.size(); i++) {
            try {
                Outcome outcome = moves.get(i).get();
                if (outcome == Outcome.SKIPPED && leaveTaken) { // a first pass's: never verify's
                    if (!ByteBuffer.wrap(from.get(i)).equals(stoppedOn)) {
                        leftTaken++;
                    } else if (options.onConflict() == OnConflict.REPLACE) {
                        outcome = keyMove.moveAsync(from.get(i), to.get(i), OnConflict.REPLACE, false, ledger)
                                .toCompletableFuture().get();
                    } else if (options.onConflict() == OnConflict.FAIL) {
                        outcome = Outcome.CONFLICT;
                    }
                }
                outcomes[outcome.ordinal()]++;
                if (outcome == Outcome.CONFLICT && failed == null) {
                    access.metadata().sync().hset(STATE_KEY, "conflict",
                            Base64.getEncoder().encodeToString(from.get(i)));
                    failed = new RewriteException(RewriteErrorCode.CONFLICT, "the new name of "
                            + KeyText.printable(from.get(i)) + " is taken by another key; nothing was overwritten."
                            + " Rename or delete one of the two, or run again with --on-conflict skip|replace");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RewriteException(RewriteErrorCode.INTERRUPTED, "interrupted; what was done is kept; run"
                        + " the retag again to continue");
            } catch (ExecutionException e) {
                if (failed == null) {
                    failed = e.getCause() instanceof RewriteException r ? r
                            : new RewriteException(RewriteErrorCode.STOPPED, String.valueOf(e.getCause()), e.getCause());
                }
            }
        }
        if (failed != null) {
            throw failed; // the page's cursor is not saved: a new run looks at its keys again
        }
        long moved = outcomes[Outcome.MOVED.ordinal()];
        long renamed = outcomes[Outcome.RENAMED.ordinal()];
        long vanished = outcomes[Outcome.MISSING.ordinal()] + outcomes[Outcome.VANISHED.ordinal()];
        if (pass != Pass.FIRST) {
            // keys the first scan counts (or counted, in the run that stopped): only what was done here adds up
            if (verify) {
                left.addAndGet(outcomes[Outcome.SKIPPED.ordinal()]);
            }
            return new RetagCounts(0, 0, 0, 0, moved, renamed, 0, 0, 0, vanished, 0, 0, 0, 0, 0);
        }
        return new RetagCounts(keys.size(), page.from().size(), page.alreadyTagged(), page.noTag(), moved, renamed,
                outcomes[Outcome.COPIED.ordinal()], outcomes[Outcome.CLEANED.ordinal()],
                outcomes[Outcome.ALREADY_DONE.ordinal()] + leftMoved, vanished,
                outcomes[Outcome.SKIPPED.ordinal()] - leftTaken,
                outcomes[Outcome.DIFFERS.ordinal()], outcomes[Outcome.NOT_COPIED.ordinal()],
                outcomes[Outcome.LEFT_OVER.ordinal()], 0);
    }

    /** The {@code run_id} of the master's process ({@code INFO server}); null if the node does not say. */
    private String runId(NodeInfo master) {
        for (String line : access.connection(master).sync().info("server").split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return null;
    }

    /** What identifies a retag: its rules, mode and conflict policy. A run with another fingerprint starts afresh. */
    private String fingerprint() {
        StringBuilder text = new StringBuilder(options.mode() + " " + options.onConflict());
        for (Rule rule : rules.rules()) {
            text.append('\n').append(rule.match()).append('\n').append(rule.regex()).append('\n').append(rule.to());
        }
        return "sha256:" + Scripts.digest("SHA-256", text.toString());
    }
}
