/**
 * The atomic batch use case ({@code POST /api/batch}): a list of record creates, updates, upserts and deletes,
 * in the seed's or PocketBase's request shape, prepared one by one through the same records code path as the
 * single routes and applied in one store transaction — all or nothing. Depends on records and the store, never
 * on the HTTP layer; the routes live in {@code http.BatchRoutes}.
 */
package dev.nanodb.batch;
