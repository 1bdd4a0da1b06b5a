/**
 * The HTTP layer on Vert.x: one class per route family, request parsing, and the single mapping from
 * exceptions to JSON error responses. No Vert.x type leaves this package.
 */
package dev.nanodb.http;
