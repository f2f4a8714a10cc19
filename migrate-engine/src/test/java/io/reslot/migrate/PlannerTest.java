package io.reslot.migrate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PlannerTest {

    // ---- topologies ------------------------------------------------------------------------------------------------

    /** A 40-character id whose first 8 characters are unique to {@code n}. */
    static String id(int n) {
        return String.format("%08x", n + 0xa0000000L) + "b".repeat(32);
    }

    static String address(int n) {
        return "127.0.0.1:" + (7000 + n);
    }

    static NodeInfo master(int n, String slots) {
        return new NodeInfo(id(n), "127.0.0.1", 7000 + n, Set.of("master"), null, 0, true,
                slots.isEmpty() ? SlotSet.empty() : SlotSet.parse(slots), new TreeMap<>(), new TreeMap<>());
    }

    static NodeInfo replica(int n, int of) {
        return new NodeInfo(id(n), "127.0.0.1", 7000 + n, Set.of("slave"), id(of), 0, true, SlotSet.empty(),
                new TreeMap<>(), new TreeMap<>());
    }

    static Topology topology(NodeInfo... nodes) {
        return Topology.of(Map.of(nodes[0].address(), List.of(nodes)));
    }

    /** {@code masters} masters with {@code counts[i]} consecutive slots each, then masters without slots. */
    static Topology layout(int[] counts, int emptyMasters) {
        List<NodeInfo> nodes = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < counts.length; i++) {
            nodes.add(master(i, counts[i] == 0 ? "" : first + "-" + (first + counts[i] - 1)));
            first += counts[i];
        }
        for (int i = 0; i < emptyMasters; i++) {
            nodes.add(master(counts.length + i, ""));
        }
        return topology(nodes.toArray(NodeInfo[]::new));
    }

    /** 16384 slots split as evenly as possible over {@code masters} masters. */
    static int[] even(int masters) {
        int[] counts = new int[masters];
        Arrays.setAll(counts, i -> KeySlot.SLOT_COUNT / masters + (i < KeySlot.SLOT_COUNT % masters ? 1 : 0));
        return counts;
    }

    /** Three masters 0-9999, 10000-15999 and 16000-16383, a replica of the first, and an empty master. */
    static final Topology UNEVEN = topology(master(0, "0-9999"), master(1, "10000-15999"), master(2, "16000-16383"),
            master(3, ""), replica(4, 0));

    // ---- checks every plan must pass -------------------------------------------------------------------------------

    /**
     * Applies the plan to the topology's slot owners, checking on the way that every transfer takes slots its source
     * serves, that no slot moves twice, that transfers are in source-then-target address order, and that the
     * listed masters' counts after match the result. Returns master id → slots served afterwards.
     */
    static Map<String, Integer> apply(Topology t, Plan plan) {
        String[] owner = new String[KeySlot.SLOT_COUNT];
        Map<String, String> addressOf = new HashMap<>();
        for (NodeInfo m : t.masters()) {
            addressOf.put(m.id(), m.address());
            for (int s : m.slots().toArray()) {
                assertThat(owner[s]).as("slot %d has one owner before", s).isNull();
                owner[s] = m.id();
            }
        }
        SlotSet moved = SlotSet.empty();
        for (Plan.Transfer transfer : plan.transfers()) {
            assertThat(transfer.slots().intersection(moved).isEmpty()).as("slots move once").isTrue();
            moved = moved.union(transfer.slots());
            for (int s : transfer.slots().toArray()) {
                assertThat(owner[s]).as("owner of slot %d", s).isEqualTo(transfer.source());
                owner[s] = transfer.target();
            }
        }
        Comparator<Plan.Transfer> order = Comparator.comparing((Plan.Transfer x) -> rank(t, x.source()))
                .thenComparing(x -> rank(t, x.target()));
        assertThat(plan.transfers()).isSortedAccordingTo(order);
        assertThat(plan.transfers()).extracting(x -> x.source() + ">" + x.target()).doesNotHaveDuplicates();
        Map<String, Integer> counts = new LinkedHashMap<>();
        t.masters().forEach(m -> counts.put(m.id(), 0));
        for (String o : owner) {
            if (o != null) {
                counts.merge(o, 1, Integer::sum);
            }
        }
        for (Plan.Share share : plan.masters()) {
            assertThat(share.slotsAfter()).as("after of %s", share.address()).isEqualTo(counts.get(share.id()));
            assertThat(share.slotsBefore()).isEqualTo(t.node(share.id()).slots().size());
            assertThat(share.address()).isEqualTo(addressOf.get(share.id()));
        }
        assertThat(plan.masters()).isSortedAccordingTo(Comparator.comparing(x -> rank(t, x.id())));
        return counts;
    }

    private static int rank(Topology t, String id) {
        List<NodeInfo> nodes = t.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("unknown id " + id);
    }

    static Map<String, Integer> after(Plan plan) {
        Map<String, Integer> after = new LinkedHashMap<>();
        plan.masters().forEach(s -> after.put(s.address(), s.slotsAfter()));
        return after;
    }

    static void assertBadInput(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MigrateException.class,
                e -> assertThat(e.code()).isEqualTo(MigrateErrorCode.BAD_INPUT))
                .message().contains(fragments);
    }

    // ---- reshard ---------------------------------------------------------------------------------------------------

    @Test
    void reshardTakesFromEverySourceInProportionToItsSlots() {
        Plan plan = Planner.reshard(UNEVEN, address(3), 1000, List.of());

        // quotas 610.35, 366.21 and 23.44: the one slot left over goes to the largest fraction
        assertThat(plan.kind()).isEqualTo(Plan.Kind.RESHARD);
        assertThat(plan.transfers()).extracting(Plan.Transfer::sourceAddress, Plan.Transfer::targetAddress, x -> x.slots().toString())
                .containsExactly(
                        tuple(address(0), address(3), "0-609"),
                        tuple(address(1), address(3), "10000-10365"),
                        tuple(address(2), address(3), "16000-16023"));
        assertThat(plan.slotCount()).isEqualTo(1000);
        assertThat(after(plan)).containsExactly(Map.entry(address(0), 9390), Map.entry(address(1), 5634),
                Map.entry(address(2), 360), Map.entry(address(3), 1000));
        apply(UNEVEN, plan);
    }

    @Test
    void reshardTakesOnlyFromTheNamedSources() {
        Plan plan = Planner.reshard(UNEVEN, id(3), 700, List.of(address(2), id(1).substring(0, 8)));

        assertThat(plan.transfers()).extracting(Plan.Transfer::source).containsExactly(id(1), id(2));
        // 6000 : 384 of 700 is 657.9 : 42.1
        assertThat(plan.transfers()).extracting(t -> t.slots().size()).containsExactly(658, 42);
        assertThat(plan.masters()).extracting(Plan.Share::id).containsExactly(id(1), id(2), id(3));
        apply(UNEVEN, plan);
    }

    @Test
    void reshardCanEmptyItsSources() {
        Plan plan = Planner.reshard(UNEVEN, address(0), 6384, List.of(address(1), address(2)));

        assertThat(after(plan)).containsExactly(Map.entry(address(0), 16384), Map.entry(address(1), 0),
                Map.entry(address(2), 0));
        assertThat(apply(UNEVEN, plan)).containsEntry(id(0), 16384);
    }

    @Test
    void reshardGivesLeftoverSlotsToTheFirstSourcesByAddressOnTies() {
        Topology t = layout(new int[] {100, 100, 100, 16084}, 0);

        Plan plan = Planner.reshard(t, address(3), 2, List.of(address(2), address(0), address(1)));

        assertThat(plan.transfers()).extracting(Plan.Transfer::sourceAddress).containsExactly(address(0), address(1));
        assertThat(plan.transfers()).extracting(x -> x.slots().toString()).containsExactly("0", "100");
        assertThat(after(plan)).containsEntry(address(2), 100);
    }

    @Test
    void reshardCountsASourceNamedTwiceOnce() {
        Plan twice = Planner.reshard(UNEVEN, address(3), 10, List.of(address(0), id(0)));

        assertThat(twice).isEqualTo(Planner.reshard(UNEVEN, address(3), 10, List.of(address(0))));
        assertThat(twice.transfers()).singleElement().satisfies(x -> assertThat(x.slots()).isEqualTo(SlotSet.parse("0-9")));
    }

    @Test
    void reshardRejectsBadInputNamingTheValue() {
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), 0, List.of()), "at least 1", "not 0");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), -5, List.of()), "not -5");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(4), 10, List.of()), "'127.0.0.1:7004'", "replica");
        assertBadInput(() -> Planner.reshard(UNEVEN, "10.9.9.9:1", 10, List.of()), "'10.9.9.9:1'");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), 10, List.of(address(0), address(3))),
                "127.0.0.1:7003", "itself");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), 10, List.of(address(4))),
                "reshard source '127.0.0.1:7004'", "replica");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), 16385, List.of()), "16385 slots", "only 16384");
        assertBadInput(() -> Planner.reshard(UNEVEN, address(3), 385, List.of(address(2))), "385 slots", "only 384");
    }

    // ---- move-slots ------------------------------------------------------------------------------------------------

    @Test
    void moveSlotsMovesExactlyTheGivenSlotsAndSkipsThoseOnTheTarget() {
        Plan plan = Planner.moveSlots(UNEVEN, SlotSet.parse("0-10,9999-10001,16000,16383"), address(2));

        assertThat(plan.kind()).isEqualTo(Plan.Kind.MOVE_SLOTS);
        assertThat(plan.transfers()).extracting(Plan.Transfer::sourceAddress, x -> x.slots().toString())
                .containsExactly(tuple(address(0), "0-10,9999"),
                        tuple(address(1), "10000-10001"));
        assertThat(plan.transfers()).extracting(Plan.Transfer::target).containsOnly(id(2));
        assertThat(after(plan)).containsExactly(Map.entry(address(0), 9988), Map.entry(address(1), 5998),
                Map.entry(address(2), 398));
        apply(UNEVEN, plan);
    }

    @Test
    void moveSlotsAlreadyOnTheTargetIsAnEmptyPlan() {
        Plan plan = Planner.moveSlots(UNEVEN, SlotSet.parse("16000-16383"), address(2));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.masters()).containsExactly(new Plan.Share(id(2), address(2), 384, 384));
    }

    @Test
    void moveSlotsRejectsUncoveredSlotsNamingThem() {
        Topology holes = topology(master(0, "0-99,200-16383"), master(1, ""));

        assertBadInput(() -> Planner.moveSlots(holes, SlotSet.parse("50-150,180-250"), address(1)),
                "slots 100-150,180-199", "reslot fix");
        assertBadInput(() -> Planner.moveSlots(holes, SlotSet.parse("100"), address(1)), "slot 100: no master serves it");
    }

    @Test
    void moveSlotsRejectsATargetThatIsNotAMaster() {
        assertBadInput(() -> Planner.moveSlots(UNEVEN, SlotSet.of(1), id(4).substring(0, 8)), "replica",
                "127.0.0.1:7004");
    }

    // ---- rebalance -------------------------------------------------------------------------------------------------

    @Test
    void rebalanceMovesExactlyTheSurplusToTheShares() {
        Plan plan = Planner.rebalance(UNEVEN, RebalanceOptions.defaults());

        // 16384 / 3 = 5461.33: the spare slot goes to the first master by address
        assertThat(after(plan)).containsExactly(Map.entry(address(0), 5462), Map.entry(address(1), 5461),
                Map.entry(address(2), 5461));
        assertThat(plan.slotCount()).isEqualTo((10000 - 5462) + (6000 - 5461));
        assertThat(plan.transfers()).extracting(x -> x.slots().toString())
                .containsExactly("0-4537", "10000-10538");
        apply(UNEVEN, plan);
    }

    @Test
    void rebalanceDoesNothingWithinTheThreshold() {
        // shares 5462, 5461, 5461; the first is 0.69 % away from its share, the others 0.37 % and 0.33 %
        Topology t = layout(new int[] {5500, 5441, 5443}, 0);

        Plan within = Planner.rebalance(t, RebalanceOptions.defaults());
        Plan beyond = Planner.rebalance(t, RebalanceOptions.builder().thresholdPercent(0.5).build());
        Plan exact = Planner.rebalance(t, RebalanceOptions.builder().thresholdPercent(0).build());

        assertThat(within.isEmpty()).isTrue();
        assertThat(within.table()).startsWith("nothing to move\n");
        assertThat(within.masters()).allSatisfy(s -> assertThat(s.slotsAfter()).isEqualTo(s.slotsBefore()));
        assertThat(beyond.slotCount()).isEqualTo(38);
        assertThat(exact).isEqualTo(beyond);
        assertThat(after(beyond).values()).containsExactly(5462, 5461, 5461);
        assertThat(Planner.rebalance(layout(even(3), 0), RebalanceOptions.builder().thresholdPercent(0).build())
                .isEmpty()).isTrue();
    }

    @Test
    void rebalanceSharesSlotsByWeight() {
        RebalanceOptions options = RebalanceOptions.builder().weight(address(0), 2).weight(id(2), 1.0).build();

        Plan plan = Planner.rebalance(UNEVEN, options);

        assertThat(after(plan).values()).containsExactly(8192, 4096, 4096);
        assertThat(plan.slotCount()).isEqualTo(10000 - 8192 + 6000 - 4096);
        apply(UNEVEN, plan);
    }

    @Test
    void rebalanceSharesFractionalWeightsExactly() {
        // 0.1 : 0.2 : 0.3 is exactly 1 : 2 : 3, so the plan is the same as with whole weights
        RebalanceOptions fractions = RebalanceOptions.builder()
                .weight(address(0), 0.1).weight(address(1), 0.2).weight(address(2), 0.3).build();
        RebalanceOptions whole = RebalanceOptions.builder()
                .weight(address(0), 1).weight(address(1), 2).weight(address(2), 3).build();

        Plan plan = Planner.rebalance(UNEVEN, fractions);

        assertThat(plan).isEqualTo(Planner.rebalance(UNEVEN, whole));
        // 2730.67, 5461.33, 8192: the spare slot goes to the largest fraction
        assertThat(after(plan).values()).containsExactly(2731, 5461, 8192);
    }

    @Test
    void rebalanceWithWeightZeroEmptiesThatMaster() {
        Plan plan = Planner.rebalance(UNEVEN, RebalanceOptions.builder().weight(address(0), 0).build());

        assertThat(after(plan).values()).containsExactly(0, 8192, 8192);
        assertThat(plan.transfers()).extracting(Plan.Transfer::sourceAddress).containsOnly(address(0));
        assertThat(apply(UNEVEN, plan)).containsEntry(id(0), 0);
    }

    @Test
    void rebalanceLeavesEmptyMastersOutUnlessAskedOrWeighted() {
        Topology t = layout(even(3), 1);

        Plan without = Planner.rebalance(t, RebalanceOptions.defaults());
        Plan with = Planner.rebalance(t, RebalanceOptions.builder().useEmptyMasters(true).build());
        Plan weighted = Planner.rebalance(t, RebalanceOptions.builder().weight(address(3), 1).build());

        assertThat(without.isEmpty()).isTrue();
        assertThat(without.masters()).extracting(Plan.Share::address).doesNotContain(address(3)).hasSize(3);
        assertThat(after(with).values()).containsExactly(4096, 4096, 4096, 4096);
        assertThat(with.slotCount()).isEqualTo(4096);
        assertThat(weighted).isEqualTo(with);
        apply(t, with);
    }

    @Test
    void rebalanceUsesTheMinimumNumberOfMovesOnRandomLayouts() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int masters = 1 + random.nextInt(12);
            int[] counts = randomCounts(random, masters);
            Topology t = layout(counts, random.nextInt(3));
            Plan plan = Planner.rebalance(t, RebalanceOptions.builder().thresholdPercent(0).useEmptyMasters(true).build());

            int n = t.masters().size();
            int minimum = 0;
            for (int i = 0; i < n; i++) {
                int share = KeySlot.SLOT_COUNT / n + (i < KeySlot.SLOT_COUNT % n ? 1 : 0);
                minimum += Math.max(0, t.masters().get(i).slots().size() - share);
                assertThat(plan.masters().get(i).slotsAfter()).as("round %d master %d", round, i).isEqualTo(share);
            }
            assertThat(plan.slotCount()).as("round %d", round).isEqualTo(minimum);
            assertThat(plan.transfers().size()).isLessThan(Math.max(n, 1));
            apply(t, plan);
        }
    }

    private static int[] randomCounts(Random random, int masters) {
        int[] cuts = new int[masters + 1];
        for (int i = 1; i < masters; i++) {
            cuts[i] = random.nextInt(KeySlot.SLOT_COUNT + 1);
        }
        cuts[masters] = KeySlot.SLOT_COUNT;
        Arrays.sort(cuts);
        int[] counts = new int[masters];
        Arrays.setAll(counts, i -> cuts[i + 1] - cuts[i]);
        return counts;
    }

    @Test
    void rebalanceRejectsBadWeights() {
        assertBadInput(() -> Planner.rebalance(UNEVEN, RebalanceOptions.builder().weight(address(4), 2).build()),
                "weighted node '127.0.0.1:7004'", "replica");
        assertBadInput(() -> Planner.rebalance(UNEVEN, RebalanceOptions.builder().weight("nosuch", 2).build()),
                "'nosuch'");
        assertBadInput(() -> Planner.rebalance(UNEVEN,
                RebalanceOptions.builder().weight(address(1), 2).weight(id(1), 2).build()),
                "two weights name 127.0.0.1:7001");
        assertBadInput(() -> Planner.rebalance(UNEVEN, RebalanceOptions.builder()
                .weight(address(0), 0).weight(address(1), 0).weight(address(2), 0).build()),
                "weight 0", "16384 slots");
    }

    // ---- drain -----------------------------------------------------------------------------------------------------

    @Test
    void drainFillsTheEmptiestReceiversFirst() {
        Topology t = layout(new int[] {101, 8000, 40, 40, 8203}, 1);

        Plan plan = Planner.drain(t, address(0));

        // 40 + 40 + 101 = 181 over the two emptiest: 91 and 90; the others and the empty master get nothing
        assertThat(plan.kind()).isEqualTo(Plan.Kind.DRAIN);
        assertThat(plan.transfers()).extracting(Plan.Transfer::targetAddress, x -> x.slots().toString())
                .containsExactly(tuple(address(2), "0-50"),
                        tuple(address(3), "51-100"));
        assertThat(after(plan)).containsExactly(Map.entry(address(0), 0), Map.entry(address(1), 8000),
                Map.entry(address(2), 91), Map.entry(address(3), 90), Map.entry(address(4), 8203));
        apply(t, plan);
    }

    @Test
    void drainEndsEvenWhenEveryReceiverCanBeRaised() {
        Topology t = layout(new int[] {9000, 4000, 3384}, 0);

        Plan plan = Planner.drain(t, id(0));

        assertThat(after(plan).values()).containsExactly(0, 8192, 8192);
        assertThat(plan.transfers()).extracting(x -> x.slots().toString()).containsExactly("0-4191", "4192-8999");
    }

    @Test
    void drainUsesEmptyMastersOnlyWhenNoOtherMasterServesSlots() {
        Topology alone = layout(new int[] {16384}, 3);

        Plan plan = Planner.drain(alone, address(0));

        assertThat(after(plan).values()).containsExactly(0, 5462, 5461, 5461);
        assertThat(apply(alone, plan)).containsEntry(id(0), 0);
        assertThat(after(Planner.drain(layout(even(2), 1), address(0)))).doesNotContainKey(address(2));
    }

    @Test
    void drainOfAMasterWithoutSlotsIsAnEmptyPlan() {
        Plan plan = Planner.drain(UNEVEN, address(3));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.masters()).extracting(Plan.Share::address)
                .containsExactly(address(0), address(1), address(2), address(3));
    }

    @Test
    void drainRejectsReplicasAndTheOnlyMaster() {
        assertBadInput(() -> Planner.drain(UNEVEN, address(4)), "the node to drain '127.0.0.1:7004'", "replica");
        assertBadInput(() -> Planner.drain(layout(new int[] {16384}, 0), address(0)), "127.0.0.1:7000",
                "only master");
    }

    // ---- large topologies, determinism, serialisation ------------------------------------------------------------

    @Test
    void rebalancesAThousandMastersOntoANewOne() {
        Random random = new Random(7);
        Topology t = layout(randomCounts(random, 1000), 1);

        Plan plan = Planner.rebalance(t, RebalanceOptions.builder().useEmptyMasters(true).build());

        Map<String, Integer> counts = apply(t, plan);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KeySlot.SLOT_COUNT);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(16, 17));
        assertThat(counts).containsEntry(id(1000), 16);
        assertThat(plan.masters()).hasSize(1001);
    }

    @Test
    void drainsOneOfAThousandMasters() {
        Topology t = layout(even(1000), 0);

        Plan plan = Planner.drain(t, address(500));

        Map<String, Integer> counts = apply(t, plan);
        assertThat(counts).containsEntry(id(500), 0);
        counts.remove(id(500));
        // 16384 / 999 = 16.4
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(16, 17));
        assertThat(plan.slotCount()).isEqualTo(16);
    }

    @Test
    void reshardsFromAThousandMasters() {
        Topology t = layout(even(1000), 1);

        Plan plan = Planner.reshard(t, address(1000), 1638, List.of());

        Map<String, Integer> counts = apply(t, plan);
        assertThat(counts).containsEntry(id(1000), 1638);
        assertThat(plan.transfers()).hasSize(1000).allSatisfy(x -> assertThat(x.slots().size()).isBetween(1, 2));
    }

    @Test
    void samePlanForTheSameTopology() {
        Topology first = layout(randomCounts(new Random(3), 50), 2);
        Topology again = layout(randomCounts(new Random(3), 50), 2);
        RebalanceOptions options = RebalanceOptions.builder().useEmptyMasters(true).weight(address(7), 3).build();

        assertThat(Planner.rebalance(first, options)).isEqualTo(Planner.rebalance(again, options));
        assertThat(Planner.drain(first, address(9))).isEqualTo(Planner.drain(again, address(9)));
        assertThat(Planner.reshard(first, address(50), 999, List.of()))
                .isEqualTo(Planner.reshard(again, address(50), 999, List.of()));
    }

    @Test
    void planSurvivesAJacksonRoundTrip() throws Exception {
        Plan plan = Planner.rebalance(UNEVEN, RebalanceOptions.builder().useEmptyMasters(true).build());
        ObjectMapper mapper = new ObjectMapper();

        String json = mapper.writeValueAsString(plan);

        assertThat(json).contains("\"kind\":\"REBALANCE\"", "\"slots\":\"3712-5903\"");
        assertThat(mapper.readValue(json, Plan.class)).isEqualTo(plan);
    }

    @Test
    void tableListsTransfersThenMasters() {
        Plan plan = Planner.reshard(UNEVEN, address(3), 1000, List.of());

        assertThat(plan.table()).isEqualTo(""
                + "FROM                       TO                         SLOTS  RANGES\n"
                + "127.0.0.1:7000 (a0000000)  127.0.0.1:7003 (a0000003)  610    0-609\n"
                + "127.0.0.1:7001 (a0000001)  127.0.0.1:7003 (a0000003)  366    10000-10365\n"
                + "127.0.0.1:7002 (a0000002)  127.0.0.1:7003 (a0000003)  24     16000-16023\n"
                + "1000 slots in 3 transfers\n"
                + "\n"
                + "MASTER                     SLOTS NOW  SLOTS AFTER\n"
                + "127.0.0.1:7000 (a0000000)  10000      9390\n"
                + "127.0.0.1:7001 (a0000001)  6000       5634\n"
                + "127.0.0.1:7002 (a0000002)  384        360\n"
                + "127.0.0.1:7003 (a0000003)  0          1000\n");
    }

    @Test
    void apportionAddsUpAndBreaksTiesByPosition() {
        BigInteger[] equal = {BigInteger.ONE, BigInteger.ONE, BigInteger.ONE};
        BigInteger[] mixed = {BigInteger.valueOf(5), BigInteger.ZERO, BigInteger.valueOf(2)};

        assertThat(Planner.apportion(2, equal)).containsExactly(1, 1, 0);
        assertThat(Planner.apportion(10, mixed)).containsExactly(7, 0, 3); // 7.14 and 2.86
        assertThat(Planner.apportion(5, new BigInteger[] {BigInteger.ZERO})).containsExactly(0);
    }
}
