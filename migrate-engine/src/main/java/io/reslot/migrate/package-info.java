/**
 * Moving hash slots between the masters of a Redis Cluster.
 *
 * <p>{@link io.reslot.migrate.ClusterAccess} connects to every node of a cluster from a few seeds, one plain
 * connection per node (admin and migration commands are never routed by slot), and reads its
 * {@link io.reslot.migrate.Topology}: the nodes, their roles, the slots each serves and has open, and whether all
 * nodes agree. Plans, the ASK-safe mover, check and fix build on these.
 */
package io.reslot.migrate;
