package io.reslot.migrate;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RebalanceOptionsTest {

    @Test
    void defaultsAreThoseOfRedisCli() {
        RebalanceOptions options = RebalanceOptions.defaults();

        assertThat(options.thresholdPercent()).isEqualTo(2.0);
        assertThat(options.useEmptyMasters()).isFalse();
        assertThat(options.weights()).isEmpty();
        assertThat(options.weight("127.0.0.1:7000")).isEqualTo(1.0);
    }

    @Test
    void builderSetsEveryValueAndToBuilderKeepsThem() {
        RebalanceOptions options = RebalanceOptions.builder()
                .weight("127.0.0.1:7001", 0)
                .weights(Map.of("abcd", 2.5, "127.0.0.1:7001", 3.0))
                .thresholdPercent(0.5)
                .useEmptyMasters(true)
                .build();

        assertThat(options.weights()).containsExactly(Map.entry("127.0.0.1:7001", 3.0), Map.entry("abcd", 2.5));
        assertThat(options.weight("abcd")).isEqualTo(2.5);
        assertThat(options.thresholdPercent()).isEqualTo(0.5);
        assertThat(options.useEmptyMasters()).isTrue();
        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.toBuilder().thresholdPercent(1).build()).isNotEqualTo(options);
    }

    @Test
    void weightsAreCopiedAndUnmodifiable() {
        Map<String, Double> weights = new HashMap<>(Map.of("a", 1.0));
        RebalanceOptions options = new RebalanceOptions(new TreeMap<>(weights), 2, false);
        weights.put("b", 2.0);

        assertThat(options.weights()).containsOnlyKeys("a");
        assertThatThrownBy(() -> options.weights().put("c", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsOutOfRangeValuesNamingThem() {
        assertThatThrownBy(() -> RebalanceOptions.builder().weight("n1", -1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n1").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> RebalanceOptions.builder().weight("n2", Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> RebalanceOptions.builder().weight("n3", Double.POSITIVE_INFINITY).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> RebalanceOptions.builder().weight("", 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> RebalanceOptions.builder().thresholdPercent(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> RebalanceOptions.builder().thresholdPercent(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new RebalanceOptions(null, 2, false)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void survivesAJacksonRoundTrip() throws Exception {
        RebalanceOptions options = RebalanceOptions.builder().weight("127.0.0.1:7000", 2).thresholdPercent(1.5)
                .useEmptyMasters(true).build();
        ObjectMapper mapper = new ObjectMapper();

        String json = mapper.writeValueAsString(options);

        assertThat(json).isEqualTo(
                "{\"weights\":{\"127.0.0.1:7000\":2.0},\"thresholdPercent\":1.5,\"useEmptyMasters\":true}");
        assertThat(mapper.readValue(json, RebalanceOptions.class)).isEqualTo(options);
    }
}
