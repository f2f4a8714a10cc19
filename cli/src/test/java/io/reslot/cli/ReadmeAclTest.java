package io.reslot.cli;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.reslot.migrate.Permissions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's ACL line grants exactly what the preflight probes: the two cannot drift apart. */
class ReadmeAclTest {

    @Test
    void theDocumentedAclGrantsExactlyWhatThePreflightChecks() throws IOException {
        List<String> rules = SecuredClusters.documentedRules();
        Set<String> granted = new TreeSet<>();
        rules.stream().filter(r -> r.startsWith("+")).forEach(r -> granted.add(r.substring(1)));

        assertThat(rules).startsWith("resetchannels", "~*", "-@all");
        assertThat(granted).isEqualTo(Permissions.commands(EnumSet.allOf(Permissions.Operation.class)));
    }
}
