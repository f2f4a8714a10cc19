/**
 * Implementation of the migrate engine: protocol parsing and helpers. Public only for reslot's own modules; this
 * package carries no compatibility guarantees and may change in any release.
 */
package io.reslot.migrate.internal;
