package io.reslot.migrate;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reslot.migrate.Permissions.Operation;
import io.reslot.migrate.Permissions.Probe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionsTest {

    @Test
    void namesSubcommandsAsAclRulesDo() {
        assertThat(Probe.of("CLUSTER", "SETSLOT", "0", "STABLE").name()).isEqualTo("cluster|setslot");
        assertThat(Probe.of("MEMORY", "USAGE", "k").name()).isEqualTo("memory|usage");
        assertThat(Probe.of("MIGRATE", "h", "1", "", "0", "5", "KEYS", "k").name()).isEqualTo("migrate");
        assertThat(Probe.of("RESTORE-ASKING", "k", "0", "p").name()).isEqualTo("restore-asking");
    }

    @Test
    void movingNeedsMigrateOnTheSourceAndRestoreAskingAndSelectOnTheTarget() {
        Set<String> move = Permissions.commands(EnumSet.of(Operation.MOVE));

        assertThat(move).contains("migrate", "restore-asking", "select", "asking", "cluster|setslot",
                "cluster|getkeysinslot", "cluster|countkeysinslot", "wait", "memory|usage", "dump", "acl|dryrun",
                "hello", "auth");
        assertThat(move).doesNotContain("restore", "scan", "cluster|addslots", "incr");
    }

    @Test
    void retagNeedsItsReadsWritesAndScriptsButNotMigrate() {
        Set<String> retag = Permissions.commands(EnumSet.of(Operation.RETAG));

        assertThat(retag).contains("scan", "dump", "restore", "pexpiretime", "pttl", "renamenx", "rename", "del",
                "eval", "evalsha", "set", "get");
        assertThat(retag).doesNotContain("migrate", "cluster|setslot");
    }

    @Test
    void fixAddsSlotCoverageAndHistoryItsCounter() {
        assertThat(Permissions.commands(EnumSet.of(Operation.FIX)))
                .contains("cluster|addslots", "cluster|delslots", "cluster|bumpepoch", "migrate");
        assertThat(Permissions.commands(EnumSet.of(Operation.HISTORY))).contains("incr", "hset", "hgetall");
    }

    @Test
    void probesEachCommandLineOnceInAStableOrder() {
        List<Probe> all = Permissions.probes(EnumSet.allOf(Operation.class));

        assertThat(all).doesNotHaveDuplicates();
        assertThat(all.get(0).name()).isEqualTo("cluster|nodes");
        assertThat(Permissions.probes(EnumSet.allOf(Operation.class))).isEqualTo(all);
        assertThat(all).allSatisfy(p -> assertThat(p.args()).isNotEmpty());
    }

    @Test
    void theRefusalNamesEachPermissionTheNodesAndTheGrant() {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        missing.put("migrate", List.of("10.0.0.1:7000", "10.0.0.2:7000"));
        missing.put("restore-asking", List.of("10.0.0.2:7000"));

        String message = Permissions.refusal("ops", missing, Operation.MOVE);

        assertThat(message).isEqualTo("user 'ops' lacks permission 'migrate' on 10.0.0.1:7000, 10.0.0.2:7000;"
                + " permission 'restore-asking' on 10.0.0.2:7000 (needed by move); nothing was changed;"
                + " grant it on every node: ACL SETUSER ops +migrate +restore-asking");
    }

    @Test
    void dryRunNeedsRedis7() {
        assertThat(Permissions.supportsDryRun("7.0.15")).isTrue();
        assertThat(Permissions.supportsDryRun("7.2.4")).isTrue();
        assertThat(Permissions.supportsDryRun("8.0.0")).isTrue();
        assertThat(Permissions.supportsDryRun("6.2.6")).isFalse();
        assertThat(Permissions.supportsDryRun("?")).isFalse();
    }

    @Test
    void onlyOkGrants() {
        assertThat(Permissions.denied("OK")).isFalse();
        assertThat(Permissions.denied("This user has no permissions to run the 'migrate' command")).isTrue();
        assertThat(Permissions.denied("ERR wrong number of arguments for 'get' command")).isTrue();
    }

    @Test
    void readsAnInfoField() {
        assertThat(Permissions.infoField("# Server\r\nredis_version:7.0.15\r\nredis_mode:cluster\r\n",
                "redis_version")).isEqualTo("7.0.15");
        assertThat(Permissions.infoField("# Server\r\n", "redis_version")).isEqualTo("?");
    }

    @Test
    void aCaFileImpliesTls() {
        AccessOptions options = AccessOptions.builder().tlsCaFile(Path.of("ca.crt")).build();

        assertThat(options.tls()).isTrue();
        assertThat(options.tlsCaFile()).isEqualTo(Path.of("ca.crt"));
        assertThat(options.toString()).contains("tlsCaFile=ca.crt");
    }
}
