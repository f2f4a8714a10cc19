package io.reslot.migrate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reslot.migrate.CheckReport.Kind;
import io.reslot.migrate.CheckReport.OpenSlot;
import io.reslot.migrate.CheckReport.Problem;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure part of {@link ClusterFix}: which actions each problem of a check report leads to. */
class FixPlanTest {

    private static final String A = "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111";
    private static final String B = "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222";
    private static final String C = "cccc3333cccc3333cccc3333cccc3333cccc3333";

    private static NodeInfo master(String id, int port, String slots) {
        return new NodeInfo(id, "127.0.0.1", port, Set.of("master"), null, 1, true,
                slots.isEmpty() ? SlotSet.empty() : SlotSet.parse(slots), new TreeMap<>(), new TreeMap<>());
    }

    /** A, B, C serving thirds, A and B also claiming slot 100 when {@code conflict}. */
    private static Topology topology(boolean conflict) {
        return Topology.of(Map.of("127.0.0.1:7000", List.of(
                master(A, 7000, "0-5460"),
                master(B, 7001, conflict ? "100,5461-10922" : "5461-10922"),
                master(C, 7002, "10923-16383"))));
    }

    private static CheckReport.Node node(String id) {
        return new CheckReport.Node(id, "127.0.0.1:" + (id.equals(A) ? 7000 : id.equals(B) ? 7001 : 7002));
    }

    private static Problem open(int slot, String source, boolean migrating, long sourceKeys, String target,
            boolean importing, long targetKeys) {
        OpenSlot open = new OpenSlot(slot, node(source), migrating, sourceKeys, node(target), importing, targetKeys,
                source);
        return new Problem(Kind.OPEN_SLOT, SlotSet.of(slot), List.of(node(source), node(target)), open, null, "open");
    }

    private static Problem strays(String holder, int slot, long keys) {
        return new Problem(Kind.KEYS_IN_UNOWNED_SLOTS, SlotSet.of(slot), List.of(node(holder)), null,
                new TreeMap<>(Map.of(slot, keys)), "strays");
    }

    private static FixPlan plan(Problem... problems) {
        return ClusterFix.plan(topology(false), new CheckReport(3, 3, 3, List.of(problems)));
    }

    private static List<FixPlan.Kind> kinds(FixPlan plan) {
        return plan.actions().stream().map(FixPlan.Action::kind).toList();
    }

    @Test
    void finishesASlotOpenOnBothSides() {
        FixPlan plan = plan(open(7, A, true, 5, B, true, 3));
        assertThat(kinds(plan)).containsExactly(FixPlan.Kind.FINISH_MOVE);
        assertThat(plan.actions().get(0).from().id()).isEqualTo(A);
        assertThat(plan.actions().get(0).to().id()).isEqualTo(B);
    }

    @Test
    void closesAnImportingSlotWithoutKeys() {
        FixPlan plan = plan(open(7, A, false, 5, B, true, 0));
        assertThat(kinds(plan)).containsExactly(FixPlan.Kind.CLOSE_SLOT);
        assertThat(plan.actions().get(0).from().id()).isEqualTo(B);
    }

    @Test
    void givesAnImportingSlotToTheSideHoldingMostKeys() {
        assertThat(kinds(plan(open(7, A, false, 1, B, true, 9)))).containsExactly(FixPlan.Kind.FINISH_MOVE);
        FixPlan back = plan(open(7, A, false, 9, B, true, 1));
        assertThat(kinds(back)).containsExactly(FixPlan.Kind.RETURN_KEYS);
        assertThat(back.actions().get(0).from().id()).isEqualTo(B);
        assertThat(back.actions().get(0).to().id()).isEqualTo(A);
    }

    @Test
    void closesAMigratingSlotAndReturnsTheFewKeysTheOtherSideHas() {
        assertThat(kinds(plan(open(7, A, true, 4, B, false, 0)))).containsExactly(FixPlan.Kind.CLOSE_SLOT);
        assertThat(kinds(plan(open(7, A, true, 4, B, false, 1))))
                .containsExactly(FixPlan.Kind.RETURN_KEYS, FixPlan.Kind.CLOSE_SLOT);
        assertThat(kinds(plan(open(7, A, true, 1, B, false, 4)))).containsExactly(FixPlan.Kind.FINISH_MOVE);
    }

    @Test
    void returnsStrayKeysToTheOwner() {
        FixPlan plan = plan(strays(C, 10, 3), strays(C, 11, 2));
        assertThat(kinds(plan)).containsExactly(FixPlan.Kind.RETURN_KEYS);
        assertThat(plan.actions().get(0).slots()).isEqualTo(SlotSet.parse("10-11"));
        assertThat(plan.actions().get(0).to().id()).isEqualTo(A);
        assertThat(plan.actions().get(0).description()).contains("5 keys");
    }

    @Test
    void givesUncoveredSlotsToTheMasterHoldingTheirKeysElseToTheSmallest() {
        Topology topology = Topology.of(Map.of("127.0.0.1:7000", List.of(
                master(A, 7000, "1-5460"), master(B, 7001, "5461-10922"), master(C, 7002, "10923-16382"))));
        Problem uncovered = new Problem(Kind.UNCOVERED_SLOTS, SlotSet.parse("0,16383"), List.of(), null, null, "u");
        FixPlan plan = ClusterFix.plan(topology, new CheckReport(3, 3, 3, List.of(uncovered, strays(B, 0, 4))));

        // slot 0's keys are on B; A and C serve 5460 slots each, and the tie goes to the lower id
        assertThat(plan.actions()).extracting(a -> a.to().id() + " " + a.slots())
                .containsExactly(B + " 0", A + " 16383");
        assertThat(kinds(plan)).containsOnly(FixPlan.Kind.ASSIGN_SLOTS);
    }

    @Test
    void settlesASlotClaimedTwice() {
        FixPlan plan = ClusterFix.plan(topology(true), new CheckReport(3, 3, 3, List.of()));
        assertThat(kinds(plan)).containsExactly(FixPlan.Kind.SETTLE_OWNER);
        assertThat(plan.actions().get(0).slots()).isEqualTo(SlotSet.of(100));
    }

    @Test
    void leavesWhatInvolvesANodeThatIsDownToAPerson() {
        Problem down = new Problem(Kind.NODE_UNREACHABLE, SlotSet.parse("5461-10922"), List.of(node(B)), null, null,
                "B did not answer");
        FixPlan plan = plan(down, open(7, A, true, 5, B, true, 3), strays(C, 10, 3));

        assertThat(kinds(plan)).containsExactly(FixPlan.Kind.RETURN_KEYS);
        assertThat(plan.unfixable()).hasSize(2).anyMatch(s -> s.contains("B did not answer"))
                .anyMatch(s -> s.contains("slot 7"));
    }

    @Test
    void aHealthyReportNeedsNothingAndThePlanRoundTripsThroughJson() throws Exception {
        assertThat(plan().isEmpty()).isTrue();
        assertThat(plan().table()).isEqualTo("nothing to fix\n");
        FixPlan plan = plan(open(7, A, true, 5, B, true, 3), strays(C, 10, 3));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue(json.writeValueAsString(plan), FixPlan.class)).isEqualTo(plan);
        assertThat(plan.table()).contains("finish-move").contains("return-keys");
    }
}
