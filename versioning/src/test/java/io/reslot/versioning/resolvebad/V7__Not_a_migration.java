package io.reslot.versioning.resolvebad;

/** Named like a migration but not one: the resolver refuses the location. */
public class V7__Not_a_migration {
}
