/**
 * Backups: archives of the whole data — the store's snapshot and every stored file of records — kept under
 * {@code DB_PATH/backups}, listed, downloaded, deleted and restored by superusers (HTTP) or on a stopped server
 * (command line). The snapshot itself is the store's {@link dev.nanodb.store.Snapshots} capability and the files come
 * from {@link dev.nanodb.files.FileService}; this package owns the archive format, names, the folder, and the rule
 * that one backup or restore runs at a time. It sees only the store API, the files service and the error type.
 */
package dev.nanodb.backups;
