package io.reslot.versioning.resolve;

import java.util.Map;

import io.reslot.slot.SlotSet;
import io.reslot.versioning.BaseRedisMigration;
import io.reslot.versioning.MigrationContext;
import io.reslot.versioning.Step;

/** A Java migration found on the class path by MigrationResolverTest. */
public class V2__Java_step extends BaseRedisMigration {

    /** A nested class, whose V2__Java_step$Target.class is not a migration. */
    record Target(String node) {
    }

    private static final Target TARGET = new Target("127.0.0.1:7001");

    @Override
    protected Map<String, Object> parameters() {
        return Map.of("target", TARGET.node());
    }

    @Override
    public void migrate(MigrationContext context) {
        context.run(new Step.MoveSlots(SlotSet.parse("100-199"), TARGET.node()));
    }
}
