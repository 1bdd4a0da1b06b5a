/**
 * Several NanoDB nodes on one PostgreSQL database: two child JVMs ({@link dev.nanodb.testing.ChildServer}) sharing a
 * fresh database ({@link dev.nanodb.testing.PgTestDatabase}), driven over plain HTTP and Server-Sent Events — reads
 * across nodes, realtime from one node to the other's subscribers, tokens and their revocation, version races
 * between nodes, and a node SIGKILLed under load.
 */
package dev.nanodb.multinode;
