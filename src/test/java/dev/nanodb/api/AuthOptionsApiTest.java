package dev.nanodb.api;

import static dev.nanodb.api.AuthSteps.pbLogin;
import static dev.nanodb.api.AuthSteps.seedLogin;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Auth collection options in PocketBase's shape over the collections API (defaults, partial changes, validation,
 * secrets), and what they change: identity-field sign-in, {@code passwordAuth.enabled}, {@code authRule},
 * {@code auth-methods} and {@code impersonate}.
 */
class AuthOptionsApiTest {
    private static final String USERS = "/api/collections/users";
    private static final String METHODS = USERS + "/auth-methods";

    @TestFactory
    Stream<DynamicTest> authOptions() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    /** members: an auth collection whose unique username is an identity field, and one member, ann. */
    private static final String MEMBERS = "{'name':'members','type':'auth','fields':[{'name':'username','type':'text',"
            + "'unique':true}],'passwordAuth':{'identityFields':['email','username']}}";
    private static final Step ANN = post("/api/collections/members/records", "{'email':'ann@example.com',"
            + "'username':'ann_u','password':'password123','passwordConfirm':'password123'}").expect(200);

    private static Scenario invalid(String title, String body, String dataKey) {
        return Scenario.named("invalid auth options: " + title + " is 400 naming " + dataKey)
                .when(patch(USERS, body).expect(400).present("/data/" + dataKey))
                .then(get(USERS).expect(200).at("/passwordAuth/identityFields", "[\"email\"]").at("/otp/enabled", false));
    }

    private static final String PROVIDER = "{'oauth2':{'enabled':true,'providers':[{'name':'oidc','clientId':'client-1',"
            + "'clientSecret':'topsecret-value-1','authURL':'https://id.example.com/auth','tokenURL':'https://id.example.com/token',"
            + "'userInfoURL':'https://id.example.com/me','displayName':'Company'}]}}";

    /** Verified users manage the other accounts (and may view and update them). */
    private static final String MANAGED = "{'viewRule':'id = @request.auth.id || @request.auth.verified = true',"
            + "'updateRule':'id = @request.auth.id || @request.auth.verified = true',"
            + "'manageRule':'@request.auth.verified = true'}";

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("an auth collection answers with the defaults of PocketBase in its shape")
                        .when(get(USERS).expect(200).at("/authRule", "").at("/manageRule", null)
                                .at("/passwordAuth/enabled", true).at("/passwordAuth/identityFields", "[\"email\"]")
                                .at("/oauth2/enabled", false).size("/oauth2/providers", 0).at("/oauth2/mappedFields/name", "")
                                .at("/mfa/enabled", false).at("/mfa/duration", 600).at("/otp/length", 8)
                                .at("/otp/duration", 180).at("/authAlert/enabled", true).at("/authToken/duration", 0)
                                .at("/passwordResetToken/duration", 1800).at("/verificationToken/duration", 86400)
                                .at("/fileToken/duration", 180).matches("/verificationTemplate/body", "(?s).*\\{TOKEN\\}.*")
                                .matches("/otp/emailTemplate/body", "(?s).*\\{OTP\\}.*")
                                .at("/fields/4/name", "emailVisibility").at("/fields/4/type", "bool")),
                Scenario.named("a base collection accepts and ignores auth options as PocketBase does")
                        .when(collection("{'name':'posts','fields':[],'passwordAuth':{'enabled':false},'otp':5}")
                                .expect(200).missing("/passwordAuth").missing("/otp")),
                Scenario.named("a partial change merges into the stored options")
                        .when(patch(USERS, "{'otp':{'enabled':true},'authToken':{'duration':3600}}").expect(200)
                                .at("/otp/enabled", true).at("/otp/length", 8).at("/otp/duration", 180)
                                .at("/authToken/duration", 3600).at("/passwordAuth/enabled", true))
                        .then(get(USERS).expect(200).at("/otp/enabled", true).at("/authToken/duration", 3600)),
                invalid("an identity field that is not unique", "{'passwordAuth':{'identityFields':['email','name']}}",
                        "passwordAuth.identityFields.1"),
                invalid("an identity field that does not exist", "{'passwordAuth':{'identityFields':['nothere']}}",
                        "passwordAuth.identityFields.0"),
                invalid("no identity field", "{'passwordAuth':{'identityFields':[]}}", "passwordAuth.identityFields"),
                invalid("a short one-time code", "{'otp':{'enabled':true,'length':3}}", "otp.length"),
                invalid("a one-time code window longer than a day", "{'otp':{'enabled':true,'duration':90000}}", "otp.duration"),
                invalid("a token living under ten seconds", "{'fileToken':{'duration':5}}", "fileToken.duration"),
                invalid("a fractional token duration", "{'authToken':{'duration':60.5}}", "authToken.duration"),
                invalid("a mistyped part", "{'otp':5}", "otp"),
                invalid("an empty manage rule", "{'manageRule':''}", "manageRule"),
                invalid("an auth rule naming an unknown field", "{'authRule':'nothere = 1'}", "authRule"),
                invalid("MFA with one sign-in method", "{'mfa':{'enabled':true}}", "mfa.enabled"),
                invalid("a blank template subject", "{'verificationTemplate':{'subject':' '}}", "verificationTemplate.subject"),
                invalid("an OAuth2 provider without its secret", "{'oauth2':{'providers':[{'name':'oidc','clientId':'c'}]}}",
                        "oauth2.providers.0.clientSecret"),
                invalid("two OAuth2 providers of one name", "{'oauth2':{'providers':[{'name':'oidc','clientId':'c',"
                        + "'clientSecret':'s'},{'name':'oidc','clientId':'d','clientSecret':'t'}]}}", "oauth2.providers.1.name"),
                invalid("an OAuth2 URL that is not http", "{'oauth2':{'providers':[{'name':'oidc','clientId':'c',"
                        + "'clientSecret':'s','tokenURL':'file:///etc/passwd'}]}}", "oauth2.providers.0.tokenURL"),
                Scenario.named("an OAuth2 client secret is never answered and a change that omits it keeps it")
                        .when(patch(USERS, PROVIDER).expect(200).lacks("topsecret-value-1").at("/oauth2/providers/0/name", "oidc")
                                .missing("/oauth2/providers/0/clientSecret"))
                        .then(patch(USERS, "{'oauth2':{'providers':[{'name':'oidc','clientId':'client-2'}]}}").expect(200)
                                        .at("/oauth2/providers/0/clientId", "client-2").lacks("topsecret-value-1"),
                                get("/api/collections").expect(200).lacks("topsecret-value-1"),
                                get(METHODS).as("anon").expect(200).lacks("topsecret-value-1", "client-2")),
                Scenario.named("a provider sent back as it was read, with pkce and extra null, is accepted")
                        .when(patch(USERS, "{'oauth2':{'providers':[{'name':'oidc','clientId':'c','clientSecret':'s',"
                                + "'pkce':null,'extra':null}]}}").expect(200).at("/oauth2/providers/0/clientId", "c"))
                        .then(patch(USERS, "{'oauth2':{'providers':[{'name':'oidc','clientId':'c','pkce':true}]}}").expect(200)
                                .at("/oauth2/providers/0/pkce", true)),
                Scenario.named("auth-methods answers the password method of users to anyone")
                        .when(get(METHODS).as("anon").expect(200).at("/password/enabled", true)
                                .at("/password/identityFields", "[\"email\"]").at("/oauth2/enabled", false)
                                .size("/oauth2/providers", 0).at("/mfa/enabled", false).at("/mfa/duration", 0)
                                .at("/otp/enabled", false).at("/otp/duration", 0).at("/emailPassword", true)),
                Scenario.named("auth-methods lists configured OAuth2 providers with a fresh state")
                        .given(patch(USERS, PROVIDER).expect(200))
                        .when(get(METHODS).as("anon").expect(200).at("/oauth2/enabled", true).size("/oauth2/providers", 1)
                                .at("/oauth2/providers/0/name", "oidc").at("/oauth2/providers/0/displayName", "Company")
                                .matches("/oauth2/providers/0/state", "[A-Za-z0-9_-]{30}")
                                .matches("/oauth2/providers/0/authURL", "https://id\\.example\\.com/auth\\?client_id=client-1&response_type=code"
                                        + "&scope=openid\\+email\\+profile&state=[A-Za-z0-9_-]{30}&code_challenge=[A-Za-z0-9_-]{43}"
                                        + "&code_challenge_method=S256&redirect_uri=")
                                .matches("/oauth2/providers/0/codeVerifier", "[A-Za-z0-9_-]{43}")
                                .at("/oauth2/providers/0/codeChallengeMethod", "S256")),
                Scenario.named("auth-methods of a base or unknown collection is 404")
                        .given(collection("{'name':'posts','fields':[]}"))
                        .when(get("/api/collections/posts/auth-methods").as("anon").expect(404))
                        .then(get("/api/collections/nothere/auth-methods").as("anon").expect(404)),
                Scenario.named("a unique username listed in identityFields signs in, and so does the email")
                        .given(collection(MEMBERS).expect(200), ANN)
                        .when(pbLogin("members", "ann_u", "password123").expect(200).at("/record/username", "ann_u")
                                .present("/token"))
                        .then(pbLogin("members", "ANN@example.com", "password123").expect(200).at("/record/username", "ann_u"),
                                pbLogin("members", "ANN_U", "password123").expect(400),
                                pbLogin("members", "ann_u", "wrong-password").expect(400),
                                get("/api/collections/members/auth-methods").as("anon").at("/usernamePassword", true)),
                Scenario.named("identityField limits sign-in to that field and must be an identity field")
                        .given(collection(MEMBERS).expect(200), ANN)
                        .when(post("/api/collections/members/auth-with-password", "{'identity':'ann@example.com',"
                                + "'identityField':'username','password':'password123'}").as("anon").expect(400))
                        .then(post("/api/collections/members/auth-with-password", "{'identity':'ann_u',"
                                        + "'identityField':'username','password':'password123'}").as("anon").expect(200),
                                post("/api/collections/members/auth-with-password", "{'identity':'ann_u',"
                                        + "'identityField':'password','password':'password123'}").as("anon").expect(400)
                                        .present("/data/identityField")),
                Scenario.named("the email no longer signs in once it is not an identity field")
                        .given(collection(MEMBERS).expect(200), ANN,
                                patch("/api/collections/members", "{'passwordAuth':{'identityFields':['username']}}").expect(200))
                        .when(pbLogin("members", "ann@example.com", "password123").expect(400))
                        .then(pbLogin("members", "ann_u", "password123").expect(200)),
                Scenario.named("password sign-in switched off is 403 on both login routes")
                        .users("alice")
                        .given(patch(USERS, "{'passwordAuth':{'enabled':false}}").expect(200))
                        .when(pbLogin("users", "alice@example.com", "password123").expect(403))
                        .then(seedLogin("users", "alice@example.com", "password123").expect(403),
                                get(METHODS).as("anon").at("/password/enabled", false).size("/password/identityFields", 0)),
                Scenario.named("an authRule that does not hold refuses a right password with 403 and a wrong one with 400")
                        .users("alice")
                        .given(patch(USERS, "{'authRule':'verified = true'}").expect(200))
                        .when(pbLogin("users", "alice@example.com", "password123").expect(403))
                        .then(pbLogin("users", "alice@example.com", "wrong-password").expect(400),
                                patch(record("users", "{alice}"), "{'verified':true}").expect(200),
                                pbLogin("users", "alice@example.com", "password123").expect(200)),
                Scenario.named("a null authRule lets no one sign in, and refreshes are refused too")
                        .users("alice")
                        .given(patch(USERS, "{'authRule':null}").expect(200))
                        .when(pbLogin("users", "alice@example.com", "password123").expect(403))
                        .then(post(USERS + "/auth-refresh", "{}").as("alice").expect(403)),
                Scenario.named("a superuser impersonates a user with a token for that user")
                        .users("alice")
                        .when(post(USERS + "/impersonate/{alice}", "{'duration':60}").expect(200)
                                .at("/record/id", "{alice}").at("/record/email", "alice@example.com").present("/token"))
                        .then(post(USERS + "/impersonate/{alice}", "{}").expect(200).present("/token")),
                Scenario.named("impersonate refuses users, anonymous callers, bad durations and unknown records")
                        .users("alice", "bob")
                        .when(post(USERS + "/impersonate/{bob}", "{}").as("alice").expect(403).lacks("\"token\""))
                        .then(post(USERS + "/impersonate/{bob}", "{}").as("anon").expect(401),
                                post(USERS + "/impersonate/{bob}", "{'duration':-1}").expect(400).present("/data/duration"),
                                post(USERS + "/impersonate/{bob}", "{'duration':'60'}").expect(400),
                                post(USERS + "/impersonate/zzzzzzzzzzzzzzz", "{}").expect(404),
                                post("/api/collections/nothere/impersonate/{bob}", "{}").expect(404)),
                Scenario.named("a caller matching manageRule changes another account without its old password")
                        .users("alice", "bob")
                        .given(patch(USERS, MANAGED).expect(200),
                                patch(record("users", "{alice}"), "{'verified':true}").expect(200))
                        .when(patch(record("users", "{bob}"), "{'password':'newpassword456','passwordConfirm':'newpassword456',"
                                + "'verified':true}").as("alice").expect(200).at("/verified", true))
                        .then(pbLogin("users", "bob@example.com", "newpassword456").expect(200),
                                patch(record("users", "{bob}"), "{'email':'bob2@example.com'}").as("alice").expect(200)
                                        .at("/verified", true)),
                Scenario.named("without manageRule a user still needs its old password and cannot verify itself")
                        .users("alice", "bob")
                        .given(patch(USERS, MANAGED).expect(200))
                        .when(patch(record("users", "{bob}"), "{'password':'newpassword456','passwordConfirm':'newpassword456'}")
                                .as("bob").expect(400).present("/data/oldPassword"))
                        .then(patch(record("users", "{bob}"), "{'verified':true}").as("bob").expect(400).present("/data/verified"),
                                patch(record("users", "{alice}"), "{'name':'x'}").as("bob").expect(404)),
                Scenario.named("a sign-up that sends emailVisibility succeeds")
                        .when(post("/api/collections/users/records", "{'email':'new@example.com','password':'password123',"
                                + "'passwordConfirm':'password123','emailVisibility':true}").as("anon").expect(200)
                                .at("/emailVisibility", true).at("/email", "new@example.com")));
    }
}
