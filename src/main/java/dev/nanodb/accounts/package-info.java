/**
 * The account flows of auth collections, as PocketBase has them: e-mail verification, password reset and e-mail
 * change — each a request that mails a single-purpose token and a confirmation that spends it. Requests answer the
 * same whether or not an account exists (no e-mail enumeration) and never wait on mail; confirmations change the
 * record in one store write that re-checks what the token was issued for, so a token works once.
 */
package dev.nanodb.accounts;
