package io.reslot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Plan;
import io.reslot.migrate.Planner;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.migrate.Topology;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@link Planner} takes to plan, from a parsed {@link Topology} to a finished {@link Plan}, as the cluster
 * grows to 1,000 masters. Planning runs before every reshard, rebalance and drain and again on {@code --dry-run};
 * the architecture promises it is fast on 1,000-node topologies, and this checks that promise.
 *
 * <p>The topology is {@code masters} masters serving 16384 slots evenly in consecutive ranges, plus one master
 * without slots (the usual state after adding a node). The benchmarks: {@code rebalance} with use-empty-masters
 * (every master gives about {@code 1/(masters+1)} of its slots to the new one), {@code drain} of the first master,
 * {@code reshard} of 1000 slots from all masters to the new one, and {@code moveSlots} of slots 0-8191 to it.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PlannerBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBenchmark {

    @Param({"3", "100", "1000"})
    public int masters;

    private Topology topology;
    private String first;
    private String newMaster;
    private RebalanceOptions useEmpty;
    private SlotSet half;

    @Setup
    public void setUp() {
        topology = evenTopologyWithOneEmptyMaster(masters);
        first = address(0);
        newMaster = address(masters);
        useEmpty = RebalanceOptions.builder().useEmptyMasters(true).build();
        half = SlotSet.parse("0-8191");
    }

    /** {@code masters} masters with consecutive, even slot ranges, and one more without slots, on 127.0.0.1. */
    static Topology evenTopologyWithOneEmptyMaster(int masters) {
        List<NodeInfo> nodes = new ArrayList<>(masters + 1);
        int firstSlot = 0;
        for (int i = 0; i <= masters; i++) {
            int count = i == masters ? 0
                    : KeySlot.SLOT_COUNT / masters + (i < KeySlot.SLOT_COUNT % masters ? 1 : 0);
            SlotSet slots = count == 0 ? SlotSet.empty() : SlotSet.parse(firstSlot + "-" + (firstSlot + count - 1));
            firstSlot += count;
            nodes.add(new NodeInfo(String.format("%040x", i + 1), "127.0.0.1", 20000 + i, Set.of("master"), null, 0,
                    true, slots, new TreeMap<>(), new TreeMap<>()));
        }
        return Topology.of(Map.of(nodes.get(0).address(), nodes));
    }

    static String address(int master) {
        return "127.0.0.1:" + (20000 + master);
    }

    @Benchmark
    public Plan rebalance() {
        return Planner.rebalance(topology, useEmpty);
    }

    @Benchmark
    public Plan drain() {
        return Planner.drain(topology, first);
    }

    @Benchmark
    public Plan reshard() {
        return Planner.reshard(topology, newMaster, 1000, List.of());
    }

    @Benchmark
    public Plan moveSlots() {
        return Planner.moveSlots(topology, half, newMaster);
    }
}
