/**
 * Outgoing mail: messages rendered from templates ({@link dev.nanodb.mail.Templates}), handed to an
 * {@link dev.nanodb.mail.Outbox} that sends them through SMTP (Jakarta Mail, Eclipse Angus) on its own thread,
 * with a bounded queue and retries, so no request ever waits on an SMTP server. No SMTP type leaves this package.
 */
package dev.nanodb.mail;
