/**
 * Validation of collection definitions and records against them, plus the id and timestamp formats. Pure
 * functions over the store's model types; no I/O.
 */
package dev.nanodb.schema;
