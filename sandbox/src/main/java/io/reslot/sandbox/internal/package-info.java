/**
 * Implementation details of the sandbox: port picking, {@code redis.conf} rendering, {@code redis-server}
 * discovery and extraction, {@code CLUSTER NODES} parsing and the readiness rules.
 *
 * <p>Public only so that {@code io.reslot.sandbox} can use it. This package carries <b>no compatibility
 * guarantees</b>: anything in it may change or disappear in any release.
 */
package io.reslot.sandbox.internal;
