package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

/**
 * Paths, a collection and step builders shared by the auth scenario tables ({@link AuthSecurityTest},
 * {@link FieldProtectionTest}, {@link PasswordPolicyTest}). Every scenario user's password is {@code password123}.
 */
final class AuthSteps {
    private AuthSteps() {}

    static final String USERS = "/api/collections/users/records";
    static final String ALICE = record("users", "{alice}");
    static final String SUPERUSERS = "/api/collections/_superusers/records";
    static final String NOTE = record("notes", "{id}");
    static final String NEW_PASSWORD = "newpassword456";

    /** What no answer may ever carry: the scenario users' plain password, a bcrypt hash, the token key. */
    static final String[] SECRETS = {"password123", "$2b$", "$2a$", "$2y$", "tokenKey"};

    /** notes: an owner field, anyone may read and create, only the owner may update. */
    static final String NOTES = "{'name':'notes','fields':[{'name':'title','type':'text'},"
            + "{'name':'owner_id','type':'text','indexed':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'owner_id = @request.auth.id',"
            + "'deleteRule':'owner_id = @request.auth.id'}";

    /** {@code step} must not carry any secret, and (for a record answer at {@code pointer}) no password keys. */
    static Step clean(Step step, String... recordPointers) {
        Step s = step.lacks(SECRETS);
        for (String p : recordPointers) s = s.missing(p + "/password").missing(p + "/tokenKey");
        return s;
    }

    /** An anonymous PocketBase login: {@code POST /api/collections/{collection}/auth-with-password}. */
    static Step pbLogin(String collection, String email, String password) {
        return post("/api/collections/" + collection + "/auth-with-password",
                "{'identity':'" + email + "','password':'" + password + "'}").as("anon");
    }

    /** An anonymous login on the seed's route {@code POST /api/auth/login}. */
    static Step seedLogin(String collection, String email, String password) {
        return post("/api/auth/login", "{'email':'" + email + "','password':'" + password + "','collection':'"
                + collection + "'}").as("anon");
    }

    /** An anonymous sign-up to {@code users} with a matching {@code passwordConfirm}. */
    static Step signUp(String email, String password) {
        return post(USERS, "{'email':'" + email + "','password':'" + password + "','passwordConfirm':'" + password + "'}")
                .as("anon");
    }

    /** A PATCH of {@code url} changing the password (the caller is set with {@code as}). */
    static Step changePassword(String url, String oldPassword, String password) {
        return patch(url, "{'oldPassword':'" + oldPassword + "','password':'" + password + "','passwordConfirm':'"
                + password + "'}");
    }
}
