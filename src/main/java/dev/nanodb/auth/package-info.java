/**
 * Accounts and tokens: bcrypt password hashing (off the event loops), HS256 tokens whose signing key includes
 * each user's token key (so rotating it revokes every earlier token), the identity behind a request, login with
 * a rate limit per client and per identity, the server secret, and the first superuser.
 */
package dev.nanodb.auth;
