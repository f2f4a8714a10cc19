package io.reslot.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.RetagOptions.Mode;
import io.reslot.rewrite.Rule;
import io.reslot.rewrite.Rules;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepTest {

    private static final Rule RULE = new Rule("user:*", "^user:(\\d+):(.*)$", "user:{$1}:$2");

    @Test
    void namesEachStepAsItsCommand() {
        assertThat(List.<Step>of(new Step.Reshard("a", 1), new Step.MoveSlots(SlotSet.of(1), "a"),
                new Step.Rebalance(), new Step.Drain("a"), new Step.Retag(Rules.of(List.of(RULE)))))
                .map(Step::name)
                .containsExactly("reshard", "move-slots", "rebalance", "drain", "retag");
    }

    @Test
    void shortConstructorsUseTheDefaultsOfTheCommands() {
        assertThat(new Step.Reshard("a", 10)).isEqualTo(new Step.Reshard("a", 10, List.of(), MoverOptions.defaults()));
        assertThat(new Step.Drain("a").mover()).isEqualTo(MoverOptions.defaults());
        assertThat(new Step.MoveSlots(SlotSet.of(1), "a").mover()).isEqualTo(MoverOptions.defaults());
        assertThat(new Step.Rebalance().options()).isEqualTo(RebalanceOptions.defaults());
        Step.Retag retag = new Step.Retag(Rules.of(List.of(RULE)));
        assertThat(retag.mode()).isEqualTo(Mode.MOVE);
        assertThat(retag.onConflict()).isEqualTo(OnConflict.FAIL);
    }

    @Test
    void reshardChecksItsValues() {
        assertThatThrownBy(() -> new Step.Reshard("a", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reshard: slots must be from 1 to 16384, not 0");
        assertThatThrownBy(() -> new Step.Reshard("a", 16385)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step.Reshard(" ", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("to must be a node id, a unique prefix of one, or HOST:PORT, not \" \"");
        assertThatThrownBy(() -> new Step.Reshard("a", 1, List.of("b", ""), MoverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("from must be");
        assertThatThrownBy(() -> new Step.Reshard("a", 1, List.of(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void reshardKeepsItsOwnCopyOfTheSources() {
        List<String> from = new ArrayList<>(List.of("b"));
        Step.Reshard step = new Step.Reshard("a", 1, from, MoverOptions.defaults());
        from.add("c");

        assertThat(step.from()).containsExactly("b");
        assertThatThrownBy(() -> step.from().add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void moveSlotsNeedsSlotsAndATarget() {
        assertThatThrownBy(() -> new Step.MoveSlots(SlotSet.empty(), "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("move-slots: slots is empty; give at least one slot");
        assertThatThrownBy(() -> new Step.MoveSlots(SlotSet.of(1), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rebalanceChecksAndCopiesItsWeights() {
        Map<String, Double> weights = new TreeMap<>(Map.of("b", 2.0, "a", 0.0));
        Step.Rebalance step = new Step.Rebalance(new TreeMap<>(weights), 5, true, MoverOptions.defaults());

        assertThat(step.weight()).containsExactly(Map.entry("a", 0.0), Map.entry("b", 2.0));
        assertThat(step.options()).isEqualTo(RebalanceOptions.builder().weights(weights).thresholdPercent(5)
                .useEmptyMasters(true).build());
        assertThatThrownBy(() -> step.weight().put("c", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new Step.Rebalance(new TreeMap<>(Map.of("a", -1.0)), 2, false,
                MoverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight of a must be a finite number of 0 or more, not -1.0");
        assertThatThrownBy(() -> new Step.Rebalance(new TreeMap<>(), Double.NaN, false, MoverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drainNeedsANode() {
        assertThatThrownBy(() -> new Step.Drain(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node must be a node id, a unique prefix of one, or HOST:PORT, not \"\"");
    }

    @Test
    void retagsWithTheSameRulesAreEqual() {
        Step.Retag a = new Step.Retag(Rules.of(List.of(RULE)), Mode.COPY, OnConflict.SKIP);
        Step.Retag b = new Step.Retag(Rules.of(List.of(RULE)), Mode.COPY, OnConflict.SKIP);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Step.Retag(Rules.of(List.of(RULE)), Mode.MOVE, OnConflict.SKIP));
        assertThat(a).isNotEqualTo(new Step.Retag(Rules.of(List.of(RULE)), Mode.COPY, OnConflict.FAIL));
        assertThat(a).isNotEqualTo(new Step.Retag(Rules.of(List.of(new Rule(null, RULE.regex(), RULE.to()))),
                Mode.COPY, OnConflict.SKIP));
        assertThatThrownBy(() -> new Step.Retag(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyStepThatMovesSlotsHasMoverOptions() {
        MoverOptions mover = MoverOptions.builder().parallel(2).build();

        assertThat(List.<Step.Moving>of(new Step.Reshard("a", 1, List.of(), mover),
                new Step.MoveSlots(SlotSet.of(1), "a", mover), new Step.Rebalance(RebalanceOptions.defaults(), mover),
                new Step.Drain("a", mover)))
                .allSatisfy(step -> assertThat(step.mover()).isSameAs(mover));
    }
}
