/**
 * Request logs in PocketBase's shape ({@code /api/logs}): taken from the HTTP layer without blocking it
 * ({@link dev.nanodb.logs.LogService#record}), written by one background thread to a bounded store of their own
 * ({@link dev.nanodb.logs.LogStore}, implemented by {@code logs.lmdb}) apart from the records' store, filtered and
 * sorted with the filter language over PocketBase's log fields, and cleaned up by age, level and size. No HTTP,
 * store or settings type here: the wiring hands over the settings' {@link dev.nanodb.logs.LogPolicy}.
 */
package dev.nanodb.logs;
