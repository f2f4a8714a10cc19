package io.reslot.versioning.jarclasses;

import io.reslot.versioning.BaseRedisMigration;
import io.reslot.versioning.MigrationContext;

/** A Java migration that MigrationResolverTest puts in a jar, and finds there. */
class V3__From_jar extends BaseRedisMigration {

    @Override
    public void migrate(MigrationContext context) {
    }
}
