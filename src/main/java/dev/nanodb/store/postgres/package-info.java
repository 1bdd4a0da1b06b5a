/**
 * The PostgreSQL backend of {@link dev.nanodb.store.Store}, for several stateless NanoDB nodes sharing one
 * database. JDBC and HikariCP types never leave this package; SQL failures become
 * {@link dev.nanodb.store.StoreException}s in {@code PgErrors} only.
 *
 * <p>Layout ({@code Migrations}, run under a transaction-scoped advisory lock so nodes may start together):
 * {@code nanodb_migrations(version)}, {@code nanodb_collections(id, name unique, definition)} holding
 * {@link dev.nanodb.store.CollectionCodec}'s map as JSON text, and one table per collection
 * {@code c_<collectionId>(id, created, updated, version, data jsonb)} keyed by the stable collection id, so a
 * rename touches one row. {@code nanodb_nodes} holds the running nodes ({@code PgNodes}, {@link dev.nanodb.store.Nodes}). Ids and timestamps use the {@code "C"} collation (code point order, as LMDB).
 * Strings inside {@code data} are stored in {@link dev.nanodb.filter.SqlText#pgText} form, because PostgreSQL
 * text cannot hold U+0000; records are rebuilt from the columns on read.
 *
 * <p>An indexed field gets three expression indexes: on {@code data->'f'} (jsonb equality of any type, number
 * ranges), on {@code (data->>'f') COLLATE "C"} (string ranges) and on the three sort terms of
 * {@link dev.nanodb.filter.SqlCompiler#sortKey} (so {@code sort=f} walks an index in LMDB's typed order), plus a
 * row trigger keeping {@code Counts} (exact counts per value, so the total of a list filtered by one equality — an
 * owner rule — is a lookup, not a count of every matching row). {@code created} and {@code updated} are indexed
 * in every table. Migration 4 brought existing collections to this. A unique field also gets a partial unique index
 * on {@code data->'f'} that skips absent, null and empty-string values (these may repeat, as on LMDB) and where
 * jsonb's numeric equality makes 1 and 1.0 one value. Index names are derived from a hash of collection, kind and
 * field so they stay within PostgreSQL's 63 characters and map back to the field for error messages.
 *
 * <p>Writes run on a bounded executor (threads for half the pooled connections, so reads never queue behind
 * writers). Record writes are group-committed ({@code WriteGroup}): the calls queued while the writers were
 * busy share one SQL transaction, each inside its own savepoint, so a failing call is rolled back alone and a
 * burst costs one commit; collection changes run in a transaction of their own.
 * {@code Update} and {@code Delete} lock the row ({@code SELECT … FOR UPDATE}) before calling the caller's
 * function, {@code Replace} is {@code UPDATE … WHERE version = ?}. A batch first locks the rows it will change in
 * a fixed order (table, then id), so batches touching the same records do not deadlock over them; a transaction PostgreSQL
 * still aborts as a deadlock victim or serialisation failure is run again (it applied nothing, and the caller's
 * functions are side-effect free). The last statement before COMMIT appends the transaction's changes (and
 * collection definition changes) to the cross-node change log ({@code ChangeLog}, created by migration 2: seq
 * order = commit order across nodes, LISTEN/NOTIFY wake-ups, resync after a reconnect). Listeners are fed only
 * from the log, by {@code PgFeed}: one path for this node's writes and every other node's, so every node
 * publishes the same transactions in the same order, once each, with {@link dev.nanodb.store.Change#seq} = the
 * log's seq; a write's future completes once this node has published it (see {@code PgFeed}).
 * {@code queryBounded} answers nothing: every query runs on the caller's worker thread.
 */
package dev.nanodb.store.postgres;
