/**
 * The request logs' store: an LMDB environment of its own under {@code DB_PATH/logs}, bounded in size, relaxed in
 * durability. The only package besides {@code store.lmdb} that sees LMDB types; reached only from the wiring.
 */
package dev.nanodb.logs.lmdb;
