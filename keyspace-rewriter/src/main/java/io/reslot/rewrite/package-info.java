/**
 * Renaming Redis Cluster keys so that related keys share a slot: {@code user:42:profile} and {@code user:42:cart}
 * become {@code user:{42}:profile} and {@code user:{42}:cart}.
 *
 * <p>{@link io.reslot.rewrite.Rules} say which keys get which new name (a SCAN glob, a regular expression with named
 * groups and a template), checked before any key is touched. {@link io.reslot.rewrite.KeyMove} moves one key to its
 * new name without losing a write or its TTL: {@code RENAMENX} within a slot; across slots a copy
 * ({@code DUMP}, {@code RESTORE} with the absolute expiry) followed by a delete of the old key that happens only if
 * it is still what was copied.
 */
package io.reslot.rewrite;
