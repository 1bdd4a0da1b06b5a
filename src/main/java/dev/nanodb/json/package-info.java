/**
 * JSON reading and writing in NanoDB's value model (maps, lists, Long/Double numbers, strings, booleans, null),
 * with limits that make hostile documents fail fast with a clear message. Depends on Jackson's streaming core
 * only.
 */
package dev.nanodb.json;
