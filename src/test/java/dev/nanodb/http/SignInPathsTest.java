package dev.nanodb.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which request paths the identity handler leaves alone: the sign-in routes' and nothing that merely looks like them. */
class SignInPathsTest {
    @ParameterizedTest
    @CsvSource({
            "/api/auth/login, true",
            "/api/oauth2-redirect, true",
            "/api/collections/users/auth-with-password, true",
            "/api/collections/_superusers/auth-with-password, true",
            "/api/collections/users/confirm-password-reset, true",
            "/api/collections/users/auth-with-otp, true",
            "/api/collections/users/auth-refresh, false",
            "/api/collections/users/request-email-change, false",
            "/api/collections/users/impersonate/abc, false",
            "/api/collections/users/records/auth-methods, false",
            "/api/collections/users/records, false",
            "/api/collections//auth-methods, false",
            "/api/collections/auth-methods, false",
            "/api/auth/login/x, false",
            "/api/files/users/auth-with-password, false",
    })
    void onlyTheSignInRoutesPathsAreSkipped(String path, boolean signIn) {
        assertThat(SignInPaths.matches(path)).isEqualTo(signIn);
    }
}
