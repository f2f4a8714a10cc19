package io.reslot.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reslot.migrate.MoveEvent;
import io.reslot.migrate.MoveListener;
import io.reslot.rewrite.Retag;
import io.reslot.rewrite.RetagCounts;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one place where a job's progress is shown on stderr, in one of four ways:
 * <ul>
 *   <li>{@link Mode#BAR} on a terminal: a progress bar (me.tongfei:progressbar) redrawn in place,
 *       {@code reshard  22% |███▌     | 1200/5461 slots (0:00:05 / 0:00:12) 123456 keys, 45678 keys/s};</li>
 *   <li>{@link Mode#TEXT} when stderr is not a terminal: at most one line a second,
 *       {@code reslot: 1200/5461 slots, 123456 keys, 45678 keys/s, ETA 12 s};</li>
 *   <li>{@link Mode#JSON} with {@code --json}: JSON lines, a {@code progress} line a second and the job's
 *       milestones ({@code plan}, {@code error}, {@code finished}; with {@code -v} also every slot's
 *       {@code slot-started} and {@code slot-done});</li>
 *   <li>{@link Mode#NONE} with {@code -q}.</li>
 * </ul>
 *
 * <p>A {@link Task} is one thing being counted: a moving job ({@link #moves}, slots of the plan), a retag
 * ({@link #retag}, keys scanned of an estimated total), or one step of a migration. The mover and the rewriter call a
 * task from many threads: counting is a few atomic additions, and one compare-and-set on the time of the next update
 * decides which thread shows it. Rate and ETA come from {@link #clock} so that tests can drive them.
 */
final class Progress {

    /** How the progress is shown. */
    enum Mode {
        /** Nothing ({@code -q}). */
        NONE,
        /** Plain lines, at most one a second (stderr is not a terminal). */
        TEXT,
        /** A progress bar redrawn in place (stderr is a terminal). */
        BAR,
        /** JSON lines ({@code --json}). */
        JSON
    }

    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How often a bar takes the counts and redraws; a second between redraws looks stuck. */
    static final int BAR_INTERVAL_MILLIS = 200;

    private final PrintStream err;
    private final Mode mode;
    private final boolean verbose;
    private final LongSupplier clock;
    private final int barWidth;

    /**
     * @param verbose with {@link Mode#JSON}, every event of a job, also those of each slot
     * @param clock {@link System#nanoTime()} outside tests
     * @param barWidth the width of a bar in columns; 0 for the terminal's
     */
    Progress(PrintStream err, Mode mode, boolean verbose, LongSupplier clock, int barWidth) {
        this.err = err;
        this.mode = mode;
        this.verbose = verbose;
        this.clock = clock;
        this.barWidth = barWidth;
    }

    /** The progress that {@code -q}, {@code -v}, {@code --json} and the terminal ask for, on the invocation's stderr. */
    static Progress forInvocation(Command.Invocation invocation) {
        return new Progress(invocation.io().err(), mode(invocation.json(), invocation.quiet(),
                invocation.io().errIsTerminal()), invocation.verbose(), System::nanoTime, 0);
    }

    /** {@code -q} wins; then {@code --json}; then whether stderr is a terminal. */
    static Mode mode(boolean json, boolean quiet, boolean terminal) {
        if (quiet) {
            return Mode.NONE;
        }
        if (json) {
            return Mode.JSON;
        }
        return terminal ? Mode.BAR : Mode.TEXT;
    }

    Mode mode() {
        return mode;
    }

    /** A moving job's progress: slots done of the plan's, from the job's {@link MoveEvent}s. */
    Moving moves(String name) {
        return new Moving(name);
    }

    /**
     * A retag's progress: keys scanned of {@code estimatedKeys} (from the plan's scan or {@code DBSIZE}; 0 when not
     * known), and keys handled.
     */
    Retagging retag(String name, long estimatedKeys) {
        return new Retagging(name, estimatedKeys);
    }

    /**
     * Shows a milestone between tasks (a migration or a step starting): {@code text} as a line with {@link Mode#TEXT}
     * and {@link Mode#BAR}, {@code event} as a JSON line with {@link Mode#JSON}.
     */
    void note(String text, Object event) {
        switch (mode) {
            case TEXT, BAR -> err.println("reslot: " + text);
            case JSON -> err.println(Json.line(event));
            case NONE -> { }
        }
    }

    /**
     * What a task has done, as of one reading of the clock; also the {@code progress} line of {@link Mode#JSON}.
     *
     * @param event always {@code progress}
     * @param task what is counted: {@code move} or {@code retag}
     * @param done slots done ({@code move}) or keys scanned ({@code retag}), also by earlier runs of a job
     * @param total slots of the plan, or the estimated keys; 0 when not known
     * @param keys keys moved ({@code move}) or handled ({@code retag}) by this run
     * @param bytes the estimated bytes of the keys moved; {@code null} for a retag
     * @param keysPerSecond {@code keys} per second of this run
     * @param etaSeconds {@code null} until something is done, or when the total is not known
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Tick(String event, String task, long done, long total, long keys, Long bytes, long keysPerSecond,
            Long etaSeconds) {
    }

    /** One thing being counted, shown as {@link #mode} says until it is closed. */
    abstract class Task implements AutoCloseable {

        private final String name;
        private final String kind;
        final AtomicLong done = new AtomicLong();
        final AtomicLong keys = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private final AtomicLong nextUpdate;
        private final long interval;
        private ProgressBar bar; // drawn from the first update on: before it, the total is often not known yet
        private final LineEnd consumer = new LineEnd(err, barWidth);
        volatile long total;
        private volatile long doneBefore;
        private volatile long startedAt;
        private volatile Tick last;

        Task(String name, String kind, long total) {
            this.name = name;
            this.kind = kind;
            this.total = total;
            this.startedAt = clock.getAsLong();
            this.interval = mode == Mode.BAR ? TimeUnit.MILLISECONDS.toNanos(BAR_INTERVAL_MILLIS) : INTERVAL_NANOS;
            this.nextUpdate = new AtomicLong(startedAt + interval);
            this.last = tick(startedAt);
        }

        /** The bar, started on first use; only ever called with {@link Mode#BAR}. */
        private synchronized ProgressBar bar() {
            if (bar == null) {
                bar = newBar();
            }
            return bar;
        }

        private ProgressBar newBar() {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(name).setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.UNICODE_BLOCK).setUnit(unit(), 1)
                    .setUpdateIntervalMillis(BAR_INTERVAL_MILLIS).continuousUpdate()
                    .setEtaFunction(state -> Optional.ofNullable(last.etaSeconds()).map(Duration::ofSeconds))
                    .setConsumer(consumer)
                    // started late, on the first update: its clock starts where the task's did
                    .startsFrom(0, Duration.ofNanos(Math.max(clock.getAsLong() - startedAt, 0)));
            return builder.build();
        }

        /** {@code " slots"} or {@code " keys"}, after the counts of a bar. */
        abstract String unit();

        /** The text after {@code reslot: } of a line. */
        abstract String line(Tick tick);

        /** What a bar shows after its counts and times. */
        abstract String extra(Tick tick);

        /** Starts counting again from {@code now}, as a job that resumed with {@code before} done. */
        final void restart(long newTotal, long before) {
            total = newTotal;
            doneBefore = before;
            startedAt = clock.getAsLong();
            nextUpdate.set(startedAt + interval);
            if (mode == Mode.BAR) {
                bar().maxHint(newTotal > 0 ? newTotal : -1);
            }
        }

        /** Shows the counts if an update is due, on whichever thread comes first after it is. */
        final void maybeShow() {
            if (mode == Mode.NONE) {
                return;
            }
            long now = clock.getAsLong();
            long next = nextUpdate.get();
            if (now - next >= 0 && nextUpdate.compareAndSet(next, now + interval)) {
                show(tick(now));
            }
        }

        private void show(Tick tick) {
            last = tick;
            switch (mode) {
                case TEXT -> err.println("reslot: " + line(tick));
                case JSON -> err.println(Json.line(tick));
                case BAR -> draw(tick);
                case NONE -> { }
            }
        }

        private void draw(Tick tick) {
            ProgressBar drawn = bar();
            if (tick.total() > 0 && tick.done() > drawn.getMax()) {
                drawn.maxHint(tick.done()); // an estimate that fell short
            }
            drawn.stepTo(tick.done());
            drawn.setExtraMessage(extra(tick));
        }

        final void event(Object event) {
            if (mode == Mode.JSON) {
                err.println(Json.line(event));
            }
        }

        /** What has been done so far, as of {@code now} (a {@link #clock} reading). */
        final Tick tick(long now) {
            long doneNow = done.get();
            long movedKeys = keys.get();
            double seconds = Math.max(now - startedAt, 1) / 1e9;
            long all = doneBefore + doneNow;
            // an estimate that fell short (a retag's SCAN also meets the new names it writes) grows with what is done
            long known = total > 0 ? Math.max(total, all) : total;
            // Slots differ in size, so this is rough; it is what redis-cli users are used to, and it settles as slots
            // pass. For a retag the total is itself an estimate.
            Long eta = doneNow == 0 || known <= 0 ? null : Math.round(Math.max(known - all, 0) * seconds / doneNow);
            return new Tick("progress", kind, all, known, movedKeys, kind.equals("move") ? bytes.get() : null,
                    Math.round(movedKeys / seconds), eta);
        }

        /**
         * Shows the final counts and ends the bar (its line is kept, and the cursor goes to the next line, so what
         * follows starts on a line of its own).
         */
        @Override
        public final void close() {
            if (mode == Mode.BAR) {
                Tick tick = tick(clock.getAsLong());
                last = tick;
                draw(tick);
                bar().close();
                consumer.close(); // a bar closed before its first scheduled redraw skips its own
            }
        }
    }

    /** The library's console output, ending the bar's line exactly once. */
    private static final class LineEnd extends ConsoleProgressBarConsumer {

        private final AtomicBoolean ended = new AtomicBoolean();

        /** @param width the bar's width; 0 for the terminal's */
        LineEnd(PrintStream out, int width) {
            super(out, width > 0 ? width : -1);
        }

        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                super.close();
            }
        }
    }

    /** A moving job: slots of the plan, keys and bytes moved. */
    final class Moving extends Task implements MoveListener {

        Moving(String name) {
            super(name, "move", 0);
        }

        @Override
        String unit() {
            return " slots";
        }

        @Override
        String line(Tick tick) {
            if (tick.total() == 0) { // no plan announced: fix moves slots as it finds them
                return String.format(Locale.ROOT, "%d slots, %d keys, %d keys/s", tick.done(), tick.keys(),
                        tick.keysPerSecond());
            }
            return String.format(Locale.ROOT, "%d/%d slots, %d keys, %d keys/s, ETA %s", tick.done(), tick.total(),
                    tick.keys(), tick.keysPerSecond(), tick.etaSeconds() == null ? "?" : tick.etaSeconds() + " s");
        }

        @Override
        String extra(Tick tick) {
            return String.format(Locale.ROOT, " %d keys, %d keys/s", tick.keys(), tick.keysPerSecond());
        }

        @Override
        public void on(MoveEvent event) {
            if (event instanceof MoveEvent.BatchMoved batch) {
                keys.addAndGet(batch.keys());
                bytes.addAndGet(batch.bytes());
            } else if (event instanceof MoveEvent.SlotDone) {
                done.incrementAndGet();
            } else if (event instanceof MoveEvent.PlanStarted started) {
                restart(started.plan().slotCount(), started.slotsDone());
            }
            maybeShow(); // before the event, so that finished is the last line of a job
            if (!(event instanceof MoveEvent.BatchMoved) && (verbose
                    || !(event instanceof MoveEvent.SlotStarted || event instanceof MoveEvent.SlotDone))) {
                event(event);
            }
        }
    }

    /** A retag: keys scanned of an estimated total, keys handled. */
    final class Retagging extends Task implements Retag.Listener {

        Retagging(String name, long estimatedKeys) {
            super(name, "retag", estimatedKeys);
        }

        @Override
        String unit() {
            return " keys";
        }

        @Override
        String line(Tick tick) {
            return String.format(Locale.ROOT, "%s keys scanned, %d handled, %d keys/s%s",
                    tick.total() > 0 ? tick.done() + "/" + tick.total() : "" + tick.done(), tick.keys(),
                    tick.keysPerSecond(), tick.total() > 0
                            ? ", ETA " + (tick.etaSeconds() == null ? "?" : tick.etaSeconds() + " s") : "");
        }

        @Override
        String extra(Tick tick) {
            return String.format(Locale.ROOT, " %d handled, %d keys/s", tick.keys(), tick.keysPerSecond());
        }

        /** {@code total} is what the run has done so far, as the rewriter counts it. */
        @Override
        public void progress(RetagCounts total) {
            done.set(total.scanned());
            keys.set(handled(total));
            maybeShow();
        }
    }

    /** Keys a retag has dealt with, whatever it did with them. */
    static long handled(RetagCounts c) {
        return c.moved() + c.renamed() + c.copied() + c.cleaned() + c.alreadyDone() + c.vanished() + c.skipped()
                + c.differs() + c.notCopied() + c.leftOver();
    }
}
