/**
 * End-to-end tests through real clients: the Node project under {@code src/test/e2e} drives a server started in
 * the test JVM with the official PocketBase JavaScript SDK, and the one under {@code src/test/browser} drives the
 * dashboard in headless Chromium, so a change that breaks what SDK users or operators rely on fails the build,
 * not their app. {@link dev.nanodb.testing.NodeProject} installs and runs both the same way.
 */
package dev.nanodb.e2e;
