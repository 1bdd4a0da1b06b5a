/**
 * Request rate limiting per client IP and route: rules (from {@code RATE_LIMITS} and the {@code _rate_limits}
 * system collection, reloaded from the store's change feed), fixed-window counters in a table of bounded size, and
 * the resolution of the client IP behind trusted proxies. Depends on the store API and the configuration only: the
 * HTTP handler that applies a {@link dev.nanodb.ratelimit.RateLimiter.Decision} lives in the http package.
 */
package dev.nanodb.ratelimit;
