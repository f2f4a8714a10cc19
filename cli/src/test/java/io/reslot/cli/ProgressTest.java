package io.reslot.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MoveEvent;
import io.reslot.migrate.Plan;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Plan PLAN = new Plan(Plan.Kind.MOVE_SLOTS, List.of(new Plan.Transfer("a".repeat(40),
            "127.0.0.1:7000", "b".repeat(40), "127.0.0.1:7001", SlotSet.parse("0-99"))), List.of());

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Progress progress(Progress.Mode mode) {
        return new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), mode, clock::get);
    }

    private List<String> lines() {
        String text = err.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void printsAtMostOneLineASecond() {
        Progress progress = progress(Progress.Mode.TEXT);
        progress.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 20));
        for (int slot = 0; slot < 10; slot++) {
            clock.addAndGet(SECOND / 4);
            progress.on(new MoveEvent.BatchMoved(slot, 100, 1000, 500));
            progress.on(new MoveEvent.SlotDone(slot, 100, 1000));
        }

        // 2.5 s: lines at 1 s and 2 s, printed on a batch, before its slot is done
        assertThat(lines()).containsExactly(
                "reslot: 23/100 slots, 400 keys, 400 keys/s, ETA 26 s",
                "reslot: 27/100 slots, 800 keys, 400 keys/s, ETA 21 s");
    }

    @Test
    void countsWithoutATotalWhenNoPlanWasAnnounced() {
        Progress progress = progress(Progress.Mode.TEXT); // as fix uses it: its moves start no job
        clock.addAndGet(SECOND);
        progress.on(new MoveEvent.BatchMoved(7, 30, 300, 500));
        progress.on(new MoveEvent.SlotDone(7, 30, 300));
        clock.addAndGet(SECOND);
        progress.on(new MoveEvent.BatchMoved(8, 30, 300, 500));

        assertThat(lines()).containsExactly("reslot: 0 slots, 30 keys, 30 keys/s", "reslot: 1 slots, 60 keys, 30 keys/s");
    }

    @Test
    void saysTheEtaIsUnknownUntilASlotIsDone() {
        Progress progress = progress(Progress.Mode.TEXT);
        progress.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        clock.addAndGet(SECOND);
        progress.on(new MoveEvent.BatchMoved(0, 10, 100, 500));

        assertThat(lines()).containsExactly("reslot: 0/100 slots, 10 keys, 10 keys/s, ETA ?");
    }

    @Test
    void printsNothingWhenQuiet() {
        Progress progress = progress(Progress.Mode.NONE);
        progress.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        clock.addAndGet(5 * SECOND);
        progress.on(new MoveEvent.SlotDone(0, 100, 1000));

        assertThat(lines()).isEmpty();
        assertThat(progress.tick(clock.get()).slotsDone()).isEqualTo(1);
    }

    @Test
    void printsEventsAsJsonLinesButNotEachBatch() {
        Progress progress = progress(Progress.Mode.JSON);
        progress.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        progress.on(new MoveEvent.SlotStarted(0, "a", "b"));
        progress.on(new MoveEvent.BatchMoved(0, 10, 100, 500));
        clock.addAndGet(SECOND);
        progress.on(new MoveEvent.SlotDone(0, 10, 100));
        progress.on(new MoveEvent.Error(MigrateErrorCode.STOPPED, "stopped"));

        assertThat(lines()).hasSize(5);
        assertThat(lines().get(0)).startsWith("{\"event\":\"plan\",\"jobId\":\"1a2b3c4d\",\"plan\":{");
        assertThat(lines().get(1)).startsWith("{\"event\":\"slot-started\",\"slot\":0,");
        assertThat(lines().get(2)).startsWith("{\"event\":\"slot-done\",\"slot\":0,");
        assertThat(lines().get(3)).isEqualTo("{\"event\":\"progress\",\"slotsDone\":1,\"slotsTotal\":100,\"keys\":10,"
                + "\"bytes\":100,\"keysPerSecond\":10,\"etaSeconds\":99}");
        assertThat(lines().get(4)).startsWith("{\"event\":\"error\",\"code\":\"STOPPED\",");
    }

    @Test
    void countsEveryEventFromManyThreads() throws Exception {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), Progress.Mode.TEXT,
                System::nanoTime);
        progress.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    progress.on(new MoveEvent.BatchMoved(0, 1, 2, 1));
                }
                progress.on(new MoveEvent.SlotDone(0, 0, 0));
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Progress.Tick tick = progress.tick(System.nanoTime());
        assertThat(tick.keys()).isEqualTo(400_000);
        assertThat(tick.bytes()).isEqualTo(800_000);
        assertThat(tick.slotsDone()).isEqualTo(4);
    }
}
