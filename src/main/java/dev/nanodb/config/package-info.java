/** Settings from the environment and {@code .env}, validated once at start-up. Depends on nothing else. */
package dev.nanodb.config;
