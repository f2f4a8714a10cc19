/**
 * Moving hash slots between the masters of a Redis Cluster.
 *
 * <p>{@link io.reslot.migrate.ClusterAccess} connects to every node of a cluster from a few seeds, one plain
 * connection per node (admin and migration commands are never routed by slot), and reads its
 * {@link io.reslot.migrate.Topology}: the nodes, their roles, the slots each serves and has open, and whether all
 * nodes agree. Plans, the ASK-safe mover, check and fix build on these.
 *
 * <p>{@link io.reslot.migrate.ClusterCheck} only reads: the nodes with their key counts
 * ({@link io.reslot.migrate.NodesReport}), and what is wrong ({@link io.reslot.migrate.CheckReport}), each problem
 * carrying the nodes, slots and key counts that a fix acts on.
 *
 * <p>Every move is a job: a {@link io.reslot.migrate.JobRecord} (plan, mover options, state, slots done) kept in the
 * cluster itself under the {@code {reslot}} hash tag, so that {@code reslot resume} can finish it from any machine,
 * and a lease lock in the same slot keeps two runs from changing one cluster at once.
 */
package io.reslot.migrate;
