/**
 * NanoDB: a small self-hosted Backend-as-a-Service. {@link dev.nanodb.Main} wires the capabilities together:
 * configuration, the store backend, the records service and the HTTP server. See docs/ARCHITECTURE.md.
 */
package dev.nanodb;
