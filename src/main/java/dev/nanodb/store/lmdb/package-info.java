/**
 * The embedded LMDB backend of {@link dev.nanodb.store.Store}. LMDB types never leave this package; failures
 * are translated to {@link dev.nanodb.store.StoreException} in {@code LmdbErrors}.
 */
package dev.nanodb.store.lmdb;
