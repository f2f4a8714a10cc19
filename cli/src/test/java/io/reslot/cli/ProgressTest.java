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
import io.reslot.rewrite.RetagCounts;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Plan PLAN = new Plan(Plan.Kind.MOVE_SLOTS, List.of(new Plan.Transfer("a".repeat(40),
            "127.0.0.1:7000", "b".repeat(40), "127.0.0.1:7001", SlotSet.parse("0-99"))), List.of());

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Progress progress(Progress.Mode mode) {
        return progress(mode, false);
    }

    private Progress progress(Progress.Mode mode, boolean verbose) {
        return new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), mode, verbose, clock::get, 100);
    }

    private String text() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return text().isEmpty() ? List.of() : List.of(text().split("\n"));
    }

    /** Ten slots of 100 keys, a quarter of a second each. */
    private void moveTenSlots(Progress.Moving moving) {
        for (int slot = 0; slot < 10; slot++) {
            clock.addAndGet(SECOND / 4);
            moving.on(new MoveEvent.BatchMoved(slot, 100, 1000, 500));
            moving.on(new MoveEvent.SlotDone(slot, 100, 1000));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "false, false, true, BAR",
        "false, false, false, TEXT",
        "true, false, true, JSON",
        "true, false, false, JSON",
        "false, true, true, NONE",
        "true, true, false, NONE"})
    void choosesABarOnATerminalLinesElsewhereJsonWithJsonAndNothingWhenQuiet(boolean json, boolean quiet,
            boolean terminal, Progress.Mode expected) {
        assertThat(Progress.mode(json, quiet, terminal)).isEqualTo(expected);
    }

    @Test
    void printsAtMostOneLineASecond() {
        Progress.Moving moving = progress(Progress.Mode.TEXT).moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 20));
        moveTenSlots(moving);
        moving.close();

        // 2.5 s: lines at 1 s and 2 s, printed on a batch, before its slot is done
        assertThat(lines()).containsExactly(
                "reslot: 23/100 slots, 400 keys, 400 keys/s, ETA 26 s",
                "reslot: 27/100 slots, 800 keys, 400 keys/s, ETA 21 s");
    }

    @Test
    void drawsABarOnATerminalWithSlotsKeysRateAndEta() {
        Progress.Moving moving = progress(Progress.Mode.BAR).moves("reshard");
        Plan ten = new Plan(Plan.Kind.MOVE_SLOTS, List.of(new Plan.Transfer("a".repeat(40), "127.0.0.1:7000",
                "b".repeat(40), "127.0.0.1:7001", SlotSet.parse("0-9"))), List.of());
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", ten, 0));
        moveTenSlots(moving);
        moving.close(); // draws the final state and ends the line

        String drawn = text();
        assertThat(drawn).startsWith("\r").endsWith("\n").doesNotContain("reslot: ");
        String last = drawn.substring(drawn.lastIndexOf('\r') + 1).strip();
        assertThat(last).startsWith("reshard 100% |").contains("█", "| 10/10 slots (", " / 0:00:00) ",
                "1000 keys, 400 keys/s");
        assertThat(last.length()).isLessThanOrEqualTo(100);
    }

    @Test
    void drawsAnOpenEndedBarWhenNoPlanWasAnnounced() {
        Progress.Moving moving = progress(Progress.Mode.BAR).moves("fix");
        clock.addAndGet(SECOND);
        moving.on(new MoveEvent.BatchMoved(7, 30, 300, 500));
        moving.on(new MoveEvent.SlotDone(7, 30, 300));
        moving.close();

        String last = text().substring(text().lastIndexOf('\r') + 1).strip();
        assertThat(last).startsWith("fix  ? % |").contains("1/? slots", "30 keys, 30 keys/s");
    }

    @Test
    void countsWithoutATotalWhenNoPlanWasAnnounced() {
        Progress.Moving moving = progress(Progress.Mode.TEXT).moves("fix"); // fix's moves start no job
        clock.addAndGet(SECOND);
        moving.on(new MoveEvent.BatchMoved(7, 30, 300, 500));
        moving.on(new MoveEvent.SlotDone(7, 30, 300));
        clock.addAndGet(SECOND);
        moving.on(new MoveEvent.BatchMoved(8, 30, 300, 500));

        assertThat(lines()).containsExactly("reslot: 0 slots, 30 keys, 30 keys/s", "reslot: 1 slots, 60 keys, 30 keys/s");
    }

    @Test
    void saysTheEtaIsUnknownUntilASlotIsDone() {
        Progress.Moving moving = progress(Progress.Mode.TEXT).moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        clock.addAndGet(SECOND);
        moving.on(new MoveEvent.BatchMoved(0, 10, 100, 500));

        assertThat(lines()).containsExactly("reslot: 0/100 slots, 10 keys, 10 keys/s, ETA ?");
    }

    @Test
    void printsNothingWhenQuiet() {
        Progress progress = progress(Progress.Mode.NONE);
        Progress.Moving moving = progress.moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        clock.addAndGet(5 * SECOND);
        moving.on(new MoveEvent.SlotDone(0, 100, 1000));
        moving.close();
        progress.note("V1 step 1: reshard", new MigrateCommand.StepStarted("step", "1", 1, "reshard"));

        assertThat(lines()).isEmpty();
        assertThat(moving.tick(clock.get()).done()).isEqualTo(1);
    }

    @Test
    void printsTheMilestonesAndProgressAsJsonLinesButNotEachSlot() {
        Progress.Moving moving = progress(Progress.Mode.JSON).moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        moving.on(new MoveEvent.SlotStarted(0, "a", "b"));
        moving.on(new MoveEvent.BatchMoved(0, 10, 100, 500));
        clock.addAndGet(SECOND);
        moving.on(new MoveEvent.SlotDone(0, 10, 100));
        moving.on(new MoveEvent.Error(MigrateErrorCode.STOPPED, "stopped"));
        moving.close();

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).startsWith("{\"event\":\"plan\",\"jobId\":\"1a2b3c4d\",\"plan\":{");
        assertThat(lines().get(1)).isEqualTo("{\"event\":\"progress\",\"task\":\"move\",\"done\":1,\"total\":100,"
                + "\"keys\":10,\"bytes\":100,\"keysPerSecond\":10,\"etaSeconds\":99}");
        assertThat(lines().get(2)).startsWith("{\"event\":\"error\",\"code\":\"STOPPED\",");
    }

    @Test
    void addsEachSlotsEventsToTheJsonLinesWithVerbose() {
        Progress.Moving moving = progress(Progress.Mode.JSON, true).moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        moving.on(new MoveEvent.SlotStarted(0, "a", "b"));
        moving.on(new MoveEvent.BatchMoved(0, 10, 100, 500));
        moving.on(new MoveEvent.SlotDone(0, 10, 100));

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(1)).startsWith("{\"event\":\"slot-started\",\"slot\":0,");
        assertThat(lines().get(2)).startsWith("{\"event\":\"slot-done\",\"slot\":0,");
    }

    @Test
    void countsARetagsKeysScannedOfTheEstimate() {
        Progress.Retagging retag = progress(Progress.Mode.TEXT).retag("retag", 200);
        clock.addAndGet(SECOND);
        retag.progress(counts(50, 20));
        clock.addAndGet(SECOND);
        retag.progress(counts(100, 40));

        assertThat(lines()).containsExactly("reslot: 50/200 keys scanned, 20 handled, 20 keys/s, ETA 3 s",
                "reslot: 100/200 keys scanned, 40 handled, 20 keys/s, ETA 2 s");
    }

    @Test
    void neverShowsMoreKeysScannedThanTheTotal() {
        Progress.Retagging retag = progress(Progress.Mode.TEXT).retag("retag", 100);
        clock.addAndGet(SECOND);
        retag.progress(counts(150, 90));

        assertThat(lines()).containsExactly("reslot: 150/150 keys scanned, 90 handled, 90 keys/s, ETA 0 s");
    }

    @Test
    void countsARetagWithoutAnEstimate() {
        Progress.Retagging retag = progress(Progress.Mode.TEXT).retag("retag", 0);
        clock.addAndGet(SECOND);
        retag.progress(counts(50, 20));

        assertThat(lines()).containsExactly("reslot: 50 keys scanned, 20 handled, 20 keys/s");
    }

    @Test
    void drawsARetagBarThatGrowsPastAnEstimateThatFellShort() {
        Progress.Retagging retag = progress(Progress.Mode.BAR).retag("retag", 100);
        clock.addAndGet(SECOND);
        retag.progress(counts(120, 120));
        retag.close();

        String last = text().substring(text().lastIndexOf('\r') + 1).strip();
        assertThat(last).startsWith("retag 100% |").contains("120/120 keys", "120 handled, 120 keys/s");
    }

    @Test
    void printsARetagsProgressAsJsonLines() {
        Progress.Retagging retag = progress(Progress.Mode.JSON).retag("retag", 200);
        clock.addAndGet(SECOND);
        retag.progress(counts(50, 20));

        assertThat(lines()).containsExactly("{\"event\":\"progress\",\"task\":\"retag\",\"done\":50,\"total\":200,"
                + "\"keys\":20,\"keysPerSecond\":20,\"etaSeconds\":3}");
    }

    @Test
    void printsNotesAsLinesOrJson() {
        MigrateCommand.StepStarted step = new MigrateCommand.StepStarted("step", "2", 1, "retag");
        progress(Progress.Mode.BAR).note("V2 step 1: retag", step);
        progress(Progress.Mode.JSON).note("V2 step 1: retag", step);

        assertThat(lines()).containsExactly("reslot: V2 step 1: retag",
                "{\"event\":\"step\",\"version\":\"2\",\"step\":1,\"name\":\"retag\"}");
    }

    @Test
    void countsEveryEventFromManyThreads() throws Exception {
        Progress.Moving moving = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), Progress.Mode.TEXT,
                false, System::nanoTime, 0).moves("reshard");
        moving.on(new MoveEvent.PlanStarted("1a2b3c4d", PLAN, 0));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    moving.on(new MoveEvent.BatchMoved(0, 1, 2, 1));
                }
                moving.on(new MoveEvent.SlotDone(0, 0, 0));
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Progress.Tick tick = moving.tick(System.nanoTime());
        assertThat(tick.keys()).isEqualTo(400_000);
        assertThat(tick.bytes()).isEqualTo(800_000);
        assertThat(tick.done()).isEqualTo(4);
    }

    /** {@code handled} keys moved of {@code scanned}. */
    private static RetagCounts counts(long scanned, long handled) {
        return new RetagCounts(scanned, handled, 0, 0, handled, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
