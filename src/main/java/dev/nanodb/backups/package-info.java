/**
 * Backups: whole-store snapshots kept as files under {@code DB_PATH/backups}, listed, downloaded, deleted and
 * restored by superusers (HTTP) or on a stopped server (command line). The snapshot itself is the store's
 * {@link dev.nanodb.store.Snapshots} capability; this package owns names, the folder, and the rule that one backup
 * or restore runs at a time. It sees only the store API and the error type.
 */
package dev.nanodb.backups;
