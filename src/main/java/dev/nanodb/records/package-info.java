/**
 * Records use cases on top of the store: validation, system fields, optimistic updates, auto-created
 * collections, list queries built from client parameters, and the public JSON shape of a record.
 */
package dev.nanodb.records;
