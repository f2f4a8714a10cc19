package io.reslot.bench;

import io.reslot.migrate.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@link PlannerBenchmark} measures a plan that really moves what its javadoc says. */
class PlannerBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 100, 1000})
    void everyBenchmarkPlansRealMoves(int masters) {
        PlannerBenchmark benchmark = new PlannerBenchmark();
        benchmark.masters = masters;
        benchmark.setUp();

        Plan rebalance = benchmark.rebalance();
        Plan drain = benchmark.drain();

        assertThat(rebalance.masters()).hasSize(masters + 1);
        assertThat(rebalance.slotCount()).isEqualTo(16384 / (masters + 1));
        assertThat(drain.slotCount()).isEqualTo(16384 / masters + (16384 % masters == 0 ? 0 : 1));
        assertThat(benchmark.reshard().slotCount()).isEqualTo(1000);
        assertThat(benchmark.moveSlots().slotCount()).isEqualTo(8192);
    }
}
