package io.reslot.migrate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterFix#awaitSettled}: fix plans from views that have settled, not from the moment after a change when
 * gossip has reached some nodes only (a slot's new owner knows it serves the slot, the others do not yet, and the slot
 * looks served by nobody).
 */
class ClusterFixSettleTest {

    /** Answers {@code views} in turn, then the last one for ever; counts the calls. */
    private static final class Views {
        final Deque<List<String>> next;
        final AtomicInteger calls = new AtomicInteger();
        List<String> last = List.of();

        Views(List<List<String>> views) {
            next = new ArrayDeque<>(views);
        }

        List<String> get() {
            calls.incrementAndGet();
            if (!next.isEmpty()) {
                last = next.poll();
            }
            return last;
        }
    }

    @Test
    void nodesThatAgreeAreAskedOnce() {
        Views views = new Views(List.of(List.of()));

        ClusterFix.awaitSettled(views::get, ClusterFix.BEFORE_STABLE_NANOS);

        assertThat(views.calls).hasValue(1);
    }

    @Test
    void waitsWhileTheDisagreementChangesUntilTheNodesAgree() {
        List<String> slot5Unknown = List.of("slot 5: 127.0.0.1:7001 says 127.0.0.1:7000, 127.0.0.1:7002 says nobody");
        List<String> slot6Unknown = List.of("slot 6: 127.0.0.1:7001 says 127.0.0.1:7000, 127.0.0.1:7002 says nobody");
        Views views = new Views(List.of(slot5Unknown, slot6Unknown, slot5Unknown, slot6Unknown, List.of()));

        ClusterFix.awaitSettled(views::get, ClusterFix.BEFORE_STABLE_NANOS);

        assertThat(views.calls).hasValue(5);
    }

    @Test
    void returnsOnceTheDisagreementHasStayedTheSameForASecond() {
        Views views = new Views(List.of(List.of("slot 5: 127.0.0.1:7000 and 127.0.0.1:7001 both claim it")));

        ClusterFix.awaitSettled(views::get, ClusterFix.BEFORE_STABLE_NANOS);

        // about 31 polls 100 ms apart; fewer when the machine is slow, never the 100 of the 10 s bound
        assertThat(views.calls.get()).isBetween(2, 50);
    }

    /** After fix's own changes the nodes must come to agree: gossip may leave one unchanged for seconds. */
    @Test
    void afterItsOwnChangesWaitsForAgreementPastTheStableWindow() {
        List<String> notYetLearned = List.of("slot 5: 127.0.0.1:7002 says 127.0.0.1:7002, 127.0.0.1:7000 says nobody");
        List<List<String>> answers = new java.util.ArrayList<>(java.util.Collections.nCopies(35, notYetLearned));
        answers.add(List.of());
        Views views = new Views(answers);

        ClusterFix.awaitSettled(views::get, ClusterFix.UNTIL_AGREED);

        assertThat(views.calls).hasValue(36);
    }
}
