package io.reslot.versioning.resolve;

/** Not a migration, and not named like one: the resolver leaves it alone. */
final class Helper {

    private Helper() {
    }
}
