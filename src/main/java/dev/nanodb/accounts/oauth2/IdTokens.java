package dev.nanodb.accounts.oauth2;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import dev.nanodb.accounts.oauth2.ProviderSpec.IdTokenRules;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ID-token checks, as PocketBase makes them: the audience is the client id, {@code iat} is not in the future and
 * {@code exp}/{@code nbf} hold (all within the leeway), the issuer is one of {@code rules.issuers} when any are
 * given, and the signature verifies with a key of {@code rules.jwksUrl} when one is given (RSA or EC, never
 * {@code none} or HMAC). Key sets are fetched with bounded time and size and cached per URL by Nimbus (refreshed on
 * an unknown key id, rate limited); at most {@link #MAX_SOURCES} URLs are remembered.
 */
final class IdTokens {
    static final int MAX_SOURCES = 64;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private final ConcurrentHashMap<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    private final DefaultResourceRetriever retriever;
    private final Duration leeway;

    IdTokens(Duration connectTimeout, Duration readTimeout, int maxBytes, Duration leeway) {
        this.retriever = new DefaultResourceRetriever((int) connectTimeout.toMillis(), (int) readTimeout.toMillis(), maxBytes);
        this.leeway = leeway;
    }

    /** The verified claims of {@code idToken} for {@code clientId} under {@code rules}. */
    Map<String, Object> verify(String idToken, String clientId, IdTokenRules rules) {
        if (idToken == null || idToken.isEmpty()) throw invalid("The OAuth2 token answer has no ID token.", null);
        try {
            JWT jwt = JWTParser.parse(idToken);
            JWTClaimsSet claims;
            if (rules.jwksUrl().isEmpty()) {
                claims = jwt.getJWTClaimsSet();
                claimsVerifier(clientId, rules).verify(claims, null);
            } else {
                if (!(jwt instanceof SignedJWT signed)) throw invalid("The ID token is not signed.", null);
                DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
                processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source(rules.jwksUrl())));
                processor.setJWTClaimsSetVerifier(claimsVerifier(clientId, rules));
                claims = processor.process(signed, null);
            }
            checkIssuedAt(claims);
            checkIssuer(claims, rules.issuers());
            return claims.toJSONObject();
        } catch (OAuth2Exception e) {
            throw e;
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new OAuth2Exception(Reason.UNAVAILABLE, "The OAuth2 provider's keys could not be fetched.", e);
        } catch (ParseException e) {
            throw invalid("The ID token could not be read.", null);
        } catch (Exception e) {
            throw invalid("The ID token was refused: " + e.getClass().getSimpleName() + ".", e);
        }
    }

    /**
     * The claims of an ID token that came straight from the token endpoint, checked for time only, as PocketBase
     * reads Microsoft's; empty when there is none or it fails the checks.
     */
    Map<String, Object> loose(String idToken) {
        if (idToken == null || idToken.isEmpty()) return Map.of();
        try {
            JWTClaimsSet claims = JWTParser.parse(idToken).getJWTClaimsSet();
            DefaultJWTClaimsVerifier<SecurityContext> v = new DefaultJWTClaimsVerifier<>(null, null);
            v.setMaxClockSkew((int) leeway.toSeconds());
            v.verify(claims, null);
            checkIssuedAt(claims);
            return claims.toJSONObject();
        } catch (Exception e) {
            return Map.of();
        }
    }

    private DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(String clientId, IdTokenRules rules) {
        Set<String> required = new HashSet<>(Set.of("sub", "aud"));
        if (rules.expiryRequired()) required.add("exp");
        DefaultJWTClaimsVerifier<SecurityContext> v = new DefaultJWTClaimsVerifier<>(clientId, null, required);
        v.setMaxClockSkew((int) leeway.toSeconds());
        return v;
    }

    private void checkIssuedAt(JWTClaimsSet claims) {
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(java.time.Instant.now().plus(leeway))) {
            throw invalid("The ID token was issued in the future.", null);
        }
    }

    private static void checkIssuer(JWTClaimsSet claims, List<String> issuers) {
        if (issuers.isEmpty()) return;
        String iss = claims.getIssuer();
        if (iss == null || !issuers.contains(iss)) throw invalid("The ID token's issuer is not accepted.", null);
    }

    private JWKSource<SecurityContext> source(String url) {
        JWKSource<SecurityContext> known = sources.get(url);
        if (known != null) return known;
        if (sources.size() >= MAX_SOURCES) sources.clear();
        try {
            JWKSource<SecurityContext> made = JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(), retriever).build();
            JWKSource<SecurityContext> raced = sources.putIfAbsent(url, made);
            return raced != null ? raced : made;
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new OAuth2Exception(Reason.CONFIG, "The OAuth2 provider's jwksURL is not a URL.");
        }
    }

    private static OAuth2Exception invalid(String message, Throwable cause) {
        return new OAuth2Exception(Reason.INVALID_ID_TOKEN, message, cause);
    }
}
