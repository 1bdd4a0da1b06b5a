/**
 * Request rate limiting per client and route: rules (from {@code RATE_LIMITS} and the {@code _rate_limits}
 * system collection, reloaded from the store's change feed; a collection matched by name or id), fixed-window
 * counters in a table of bounded size, the resolution of the client IP behind trusted proxies, and the key a client
 * is counted under (an IPv6 client's network). Depends on the store API and the configuration only: the
 * HTTP handler that applies a {@link dev.nanodb.ratelimit.RateLimiter.Decision} lives in the http package.
 */
package dev.nanodb.ratelimit;
