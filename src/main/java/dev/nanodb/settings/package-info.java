/**
 * The application's settings ({@code /api/settings}): what an operator changes at run time without a restart —
 * the application's name and address, the sender, the SMTP server, what the request logs keep — kept in the
 * database (a record of the system collection {@code _params}) so every node of a shared database reads the same,
 * and reported beside the settings that stay with the environment (batch, rate limits, trusted proxies, file
 * storage).
 */
package dev.nanodb.settings;
