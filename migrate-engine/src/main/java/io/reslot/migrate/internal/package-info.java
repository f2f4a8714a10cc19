/**
 * Implementation of the migrate engine: protocol parsing, JSON and error helpers, and the records reslot keeps in the
 * cluster under the {@code {reslot}} hash tag: the {@link io.reslot.migrate.internal.LeaseLock} that keeps two runs
 * apart and the {@link io.reslot.migrate.internal.JobStore} that makes jobs resumable. Public only for reslot's own
 * modules; this package carries no compatibility guarantees and may change in any release.
 */
package io.reslot.migrate.internal;
