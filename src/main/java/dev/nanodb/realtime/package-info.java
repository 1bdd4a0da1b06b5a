/**
 * Realtime: connected clients, their subscriptions, and the fan-out of committed changes to exactly the clients
 * that may see each record. Changes come from the store's change feed (after commit, in commit order); each
 * client's permission is decided in memory with the collection's rules and that client's identity, never by a
 * query. The transport (Server-Sent Events) lives in the http package behind {@link dev.nanodb.realtime.Sink}.
 */
package dev.nanodb.realtime;
