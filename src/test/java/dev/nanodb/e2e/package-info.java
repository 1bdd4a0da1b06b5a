/**
 * End-to-end tests through real client SDKs: the Node project under {@code src/test/e2e} drives a server
 * started in the test JVM with the official PocketBase JavaScript SDK, so a change that breaks what SDK
 * users rely on fails the build, not their app.
 */
package dev.nanodb.e2e;
