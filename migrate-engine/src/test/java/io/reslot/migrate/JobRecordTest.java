package io.reslot.migrate;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Plan plan() {
        return new Plan(Plan.Kind.REBALANCE,
                List.of(new Plan.Transfer("a1", "10.0.0.1:7000", "b2", "10.0.0.2:7000", SlotSet.parse("0-99,500")),
                        new Plan.Transfer("c3", "10.0.0.3:7000", "b2", "10.0.0.2:7000", SlotSet.of(16383))),
                List.of(new Plan.Share("a1", "10.0.0.1:7000", 200, 99), new Plan.Share("b2", "10.0.0.2:7000", 0, 102),
                        new Plan.Share("c3", "10.0.0.3:7000", 16184, 16183)));
    }

    private static JobRecord record(JobState state, SlotSet done, String lastError) {
        MoverOptions options = MoverOptions.builder().batchKeys(50).parallel(2).rate(1000)
                .onBusyKey(BusyKeyPolicy.REPLACE).waitReplicas(1).build();
        return new JobRecord("0a1b2c3d", plan(), options, state, "2026-01-01T10:00:00.123Z",
                "2026-01-01T10:05:00Z", "alice@host", done, lastError);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        JobRecord record = record(JobState.STOPPED, SlotSet.parse("0-9,500"), "BUSYKEY user:1 differs");

        JobRecord read = JSON.readValue(JSON.writeValueAsString(record), JobRecord.class);

        assertThat(read).isEqualTo(record);
    }

    @Test
    void roundTripsWithNothingDoneAndNoError() throws Exception {
        JobRecord record = record(JobState.RUNNING, SlotSet.empty(), null);

        JobRecord read = JSON.readValue(JSON.writeValueAsString(record), JobRecord.class);

        assertThat(read).isEqualTo(record);
        assertThat(read.lastError()).isNull();
    }

    @Test
    void writesSlotSetsAsRangesAndNoCredentials() throws Exception {
        JsonNode json = JSON.readTree(JSON.writeValueAsString(record(JobState.DONE, SlotSet.parse("0-99"), null)));

        assertThat(json.get("done").asText()).isEqualTo("0-99");
        assertThat(json.get("plan").get("transfers").get(0).get("slots").asText()).isEqualTo("0-99,500");
        assertThat(json.toString().toLowerCase()).doesNotContain("password").doesNotContain("auth");
    }

    @Test
    void remainingIsThePlanMinusDone() {
        JobRecord record = record(JobState.RUNNING, SlotSet.parse("0-49,16383"), null);

        assertThat(record.remaining()).isEqualTo(SlotSet.parse("50-99,500"));
    }

    @Test
    void rejectsATimestampThatIsNotAnInstant() {
        assertThatThrownBy(() -> new JobRecord("0a1b2c3d", plan(), MoverOptions.defaults(), JobState.RUNNING,
                "yesterday", "2026-01-01T10:00:00Z", "alice@host", SlotSet.empty(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("createdAt").hasMessageContaining("yesterday");
    }
}
