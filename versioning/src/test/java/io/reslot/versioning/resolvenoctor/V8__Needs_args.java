package io.reslot.versioning.resolvenoctor;

import io.reslot.versioning.BaseRedisMigration;
import io.reslot.versioning.MigrationContext;

/** A migration the resolver cannot make: it has no constructor without parameters. */
public class V8__Needs_args extends BaseRedisMigration {

    private final String node;

    public V8__Needs_args(String node) {
        this.node = node;
    }

    @Override
    public void migrate(MigrationContext context) {
        throw new UnsupportedOperationException(node);
    }
}
