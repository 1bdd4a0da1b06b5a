/**
 * The OAuth2/OIDC protocol core of sign-in with an external provider, independent of HTTP routes and records:
 * the provider table ({@link dev.nanodb.accounts.oauth2.Providers}: one implementation, each provider a row of
 * URLs, scopes, PKCE default and a small mapping function), PKCE ({@link dev.nanodb.accounts.oauth2.Pkce}), and
 * the blocking client ({@link dev.nanodb.accounts.oauth2.OAuth2Client}: authorization URL, code exchange, user
 * info) that the routes call on worker threads.
 *
 * <p>Why Nimbus ({@code oauth2-oidc-sdk} and its {@code nimbus-jose-jwt}) for the protocol: the code verifier and
 * S256 challenge, the authorization-code token request (grant, client authentication, {@code code_verifier}),
 * the token response parsing (errors included) and the ID-token checks (signature against a cached, rate-limited
 * JWKS, audience, expiry with leeway) are exactly what it implements and is audited for; reimplementing JOSE is
 * how sign-in bugs are made. Its requests go through our own {@link java.net.http.HttpClient} sender instead of
 * its default one, because that is where the response-size bound and the overall timeout are enforced. User
 * info is a plain bearer GET parsed with Jackson: there is no protocol in it worth a library.
 *
 * <p>Every failure is an {@link dev.nanodb.accounts.oauth2.OAuth2Exception} whose message is safe to answer or
 * log: it never holds a provider's response body, a code, a token or a client secret.
 */
package dev.nanodb.accounts.oauth2;
