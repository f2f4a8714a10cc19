package io.reslot.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.reslot.migrate.MoveEvent;
import io.reslot.migrate.MoveListener;

/**
 * A job's progress on stderr: at most one line a second, {@code reslot: 1200/5461 slots, 123456 keys, 45678 keys/s,
 * ETA 12 s}, or with {@code --json -v} the job's events as JSON lines (every event but the per-MIGRATE
 * {@code batch} ones, and a {@code progress} line a second in their place).
 *
 * <p>The mover calls {@link #on} from many threads for every batch: counting is a few atomic additions, and one
 * compare-and-set on the time of the next line decides which thread prints it. Printing is the only locking (inside
 * {@link PrintStream}), and happens at most once a second outside {@code --json -v}.
 */
final class Progress implements MoveListener {

    /** How the progress is shown. */
    enum Mode {
        /** Nothing ({@code -q}, or {@code --json} without {@code -v}). */
        NONE,
        /** Plain lines. */
        TEXT,
        /** JSON lines. */
        JSON
    }

    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PrintStream err;
    private final Mode mode;
    private final LongSupplier clock;
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nextLine;
    private volatile long startedAt;
    private volatile int total;
    private volatile int doneBefore;

    /**
     * @param clock {@link System#nanoTime()} outside tests
     */
    Progress(PrintStream err, Mode mode, LongSupplier clock) {
        this.err = err;
        this.mode = mode;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
        this.nextLine = new AtomicLong(startedAt + INTERVAL_NANOS);
    }

    /** The progress that {@code -q}, {@code -v} and {@code --json} ask for, on the invocation's stderr. */
    static Progress forInvocation(Command.Invocation invocation) {
        Mode mode;
        if (invocation.json()) {
            mode = invocation.verbose() ? Mode.JSON : Mode.NONE;
        } else {
            mode = invocation.quiet() ? Mode.NONE : Mode.TEXT;
        }
        return new Progress(invocation.io().err(), mode, System::nanoTime);
    }

    @Override
    public void on(MoveEvent event) {
        if (event instanceof MoveEvent.BatchMoved batch) {
            keys.addAndGet(batch.keys());
            bytes.addAndGet(batch.bytes());
        } else {
            if (event instanceof MoveEvent.SlotDone) {
                slots.incrementAndGet();
            } else if (event instanceof MoveEvent.PlanStarted started) {
                total = started.plan().slotCount();
                doneBefore = started.slotsDone();
                startedAt = clock.getAsLong();
                nextLine.set(startedAt + INTERVAL_NANOS);
            }
            if (mode == Mode.JSON) {
                err.println(Json.line(event));
            }
        }
        if (mode == Mode.NONE) {
            return;
        }
        long now = clock.getAsLong();
        long next = nextLine.get();
        if (now - next >= 0 && nextLine.compareAndSet(next, now + INTERVAL_NANOS)) {
            print(now);
        }
    }

    /**
     * The {@code progress} line of {@code --json -v}.
     *
     * @param event always {@code progress}
     * @param etaSeconds {@code null} until a slot is done
     */
    record Tick(String event, int slotsDone, int slotsTotal, long keys, long bytes, long keysPerSecond,
            Long etaSeconds) {
    }

    /** What has been done so far, as of {@code now} (a {@link #clock} reading). */
    Tick tick(long now) {
        int movedSlots = slots.get();
        long movedKeys = keys.get();
        double seconds = Math.max(now - startedAt, 1) / 1e9;
        int done = doneBefore + movedSlots;
        // Slots differ in size, so this is rough; it is what redis-cli users are used to, and it settles as slots pass.
        Long eta = movedSlots == 0 || total == 0 ? null : Math.round((total - done) * seconds / movedSlots);
        return new Tick("progress", done, total, movedKeys, bytes.get(), Math.round(movedKeys / seconds), eta);
    }

    private void print(long now) {
        Tick tick = tick(now);
        if (mode == Mode.JSON) {
            err.println(Json.line(tick));
        } else {
            if (tick.slotsTotal() == 0) { // no plan announced: fix moves slots as it finds them
                err.println(String.format(Locale.ROOT, "reslot: %d slots, %d keys, %d keys/s", tick.slotsDone(),
                        tick.keys(), tick.keysPerSecond()));
            } else {
                err.println(String.format(Locale.ROOT, "reslot: %d/%d slots, %d keys, %d keys/s, ETA %s",
                        tick.slotsDone(), tick.slotsTotal(), tick.keys(), tick.keysPerSecond(),
                        tick.etaSeconds() == null ? "?" : tick.etaSeconds() + " s"));
            }
        }
    }
}
