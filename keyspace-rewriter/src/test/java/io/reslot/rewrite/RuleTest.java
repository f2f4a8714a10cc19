package io.reslot.rewrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void survivesAJacksonRoundTripUnderTheFilesPropertyNames() throws Exception {
        Rule rule = new Rule("user:*", "^user:(?<id>[0-9]+):(?<rest>.*)$", "user:{${id}}:${rest}");

        String json = JSON.writeValueAsString(rule);

        assertThat(json).isEqualTo("{\"match\":\"user:*\",\"regex\":\"^user:(?<id>[0-9]+):(?<rest>.*)$\","
                + "\"to\":\"user:{${id}}:${rest}\"}");
        assertThat(JSON.readValue(json, Rule.class)).isEqualTo(rule);
    }

    @Test
    void leavesOutANullGlob() throws Exception {
        Rule rule = new Rule(null, "^(?<k>.*)$", "{${k}}");

        String json = JSON.writeValueAsString(rule);

        assertThat(json).isEqualTo("{\"regex\":\"^(?<k>.*)$\",\"to\":\"{${k}}\"}");
        assertThat(JSON.readValue(json, Rule.class)).isEqualTo(rule);
    }
}
