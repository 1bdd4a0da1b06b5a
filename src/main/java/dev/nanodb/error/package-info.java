/**
 * The error type that reaches clients. Every layer above the store throws {@link dev.nanodb.error.ApiException};
 * the HTTP layer maps it (and store failures) to the JSON error body in exactly one place.
 */
package dev.nanodb.error;
