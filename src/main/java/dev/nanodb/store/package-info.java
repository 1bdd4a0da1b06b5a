/**
 * The storage contract: records, collection definitions, queries over filter ASTs, atomic durable writes and a
 * feed of committed changes. Backends live in sub-packages and nothing of theirs (no LMDB or JDBC type) appears
 * here. Everything above this package talks to {@link dev.nanodb.store.Store} only.
 */
package dev.nanodb.store;
