/**
 * Versioned migrations of a cluster's layout, kept in git like database migrations: {@code V1__Move_first_slots.yaml},
 * {@code V2__Retag_users.json}, {@code V3__Split_hot_tags.class}.
 *
 * <p>A script is a list of {@link io.reslot.versioning.Step}s, each one what a {@code reslot} command would do
 * ({@code reshard}, {@code move-slots}, {@code rebalance}, {@code drain}, {@code retag}) with the same options. A Java
 * migration implements {@link io.reslot.versioning.RedisMigration}, usually by extending
 * {@link io.reslot.versioning.BaseRedisMigration}, and runs steps of its own choosing. Each migration has a
 * {@link io.reslot.versioning.MigrationVersion}, taken from its name, which orders the migrations numerically, and a
 * checksum ({@link io.reslot.versioning.Checksums}) that tells whether it changed after it was applied.
 *
 * <p>Migrations are read from directories and class path packages and checked completely before anything runs: a
 * typo in a script is reported with its file, line and column, and two migrations with one version are refused.
 * Every failure is a {@link io.reslot.versioning.VersioningException} whose
 * {@link io.reslot.versioning.VersioningErrorCode} the command line turns into an exit code.
 */
package io.reslot.versioning;
