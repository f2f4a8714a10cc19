/**
 * Throwaway local Redis Clusters for tests and demos.
 *
 * <p>{@link io.reslot.sandbox.LocalCluster} starts a cluster of real {@code redis-server} processes on free
 * loopback ports, each in its own directory under one temporary directory: masters are joined with
 * {@code CLUSTER MEET}, the 16384 hash slots are split evenly between them, replicas are attached with
 * {@code CLUSTER REPLICATE}, and {@code start()} returns only once every node reports {@code cluster_state:ok}
 * and all nodes agree on who owns which slot. A started cluster can then be disturbed on purpose &mdash; an empty
 * master added, a node killed with SIGKILL, paused with SIGSTOP, resumed, or restarted on its old port with its
 * old {@code nodes.conf} &mdash; which is what the migration and rewriting modules need to test their failure
 * handling against the real server.
 *
 * <p>Options are immutable ({@link io.reslot.sandbox.LocalClusterOptions}, built with a builder whose defaults are
 * the {@code DEFAULT_*} constants). The {@code redis-server} binary is described by
 * {@link io.reslot.sandbox.RedisServerBinary}: it is taken from the {@code RESLOT_REDIS_SERVER} environment
 * variable, from {@code PATH}, or from one of the binaries bundled in Maven artifacts
 * ({@link io.reslot.sandbox.BundledRedis}), so a machine with only a JDK and Maven can run every test.
 *
 * <p>Processes are owned by the cluster that started them: {@code close()} kills exactly those processes and
 * deletes the temporary directory, and a JVM shutdown hook does the same if {@code close()} is never called;
 * {@code detach()} hands them over to the caller instead, for a cluster that outlives the JVM
 * ({@code reslot sandbox up}).
 * Every failure is reported as an unchecked {@link io.reslot.sandbox.SandboxException} carrying a
 * {@link io.reslot.sandbox.SandboxErrorCode}; a node that fails to start has the tail of its log in the message.
 *
 * <p>The JUnit 5 extension that hands a started cluster to tests lives in {@code io.reslot.sandbox.junit}.
 */
package io.reslot.sandbox;
