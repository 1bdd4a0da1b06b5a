package dev.nanodb.api;

import static dev.nanodb.api.BatchOps.pb;
import static dev.nanodb.api.BatchOps.seed;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import dev.nanodb.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation of {@code POST /api/batch} counts against the rate limit of the single route it stands for, for
 * the same client: a batch over any of those limits is 429 with that rule's headers and runs nothing; a batch
 * within them runs and leaves the single routes what is left. Both shapes, creates, upserts, updates, deletes, and
 * collections addressed by id. Single quotes stand for double quotes.
 */
class RateLimitBatchTest {
    private static final String BATCH = "/api/batch";
    private static final String USERS = "/api/collections/users/records";
    private static final String USERS_BY_ID = "/api/collections/pbc_users000000/records";
    private static final String NOTES = "/api/collections/notes/records";
    private static final String DEFAULT_LIMITS = Config.KEYS.get("RATE_LIMITS");

    @TestFactory
    Stream<DynamicTest> batchOperationsAreCountedPerRoute() {
        return ScenarioRunner.tests(scenarios());
    }

    private static String account(String who) {
        return "{'email':'" + who + "@example.com','password':'password123','passwordConfirm':'password123'}";
    }

    private static Step signUp(String who) {
        return post(USERS, account(who)).as("anon");
    }

    /** {@code count} PocketBase-shape sign-ups at {@code url}, each with its own email. */
    private static String[] pbSignUps(String url, String prefix, int count) {
        String[] ops = new String[count];
        for (int i = 0; i < count; i++) ops[i] = pb("POST", url, account(prefix + i));
        return ops;
    }

    /** {@code count} seed-shape sign-ups into {@code collection} (a name or an id). */
    private static String[] seedSignUps(String collection, String prefix, int count) {
        String[] ops = new String[count];
        for (int i = 0; i < count; i++) ops[i] = seed("create", collection, null, account(prefix + i));
        return ops;
    }



    private static Step batch(String... ops) {
        return post(BATCH, BatchOps.requests(ops));
    }

    private static Step[] singleSignUps(String prefix, int count) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) steps.add(signUp(prefix + i).expect(200));
        return steps.toArray(Step[]::new);
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("an anonymous batch of 100 sign-ups under the default limit is 429 and creates nobody")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .when(batch(pbSignUps(USERS, "u", 100)).as("anon").expect(429).responseHeader("Retry-After", "")
                                .responseHeader("X-RateLimit-Limit", "10").responseHeader("X-RateLimit-Remaining", "0")
                                .responseHeader("X-RateLimit-Reset", ""))
                        .then(list("users").at("/totalItems", 0), signUp("late").expect(429)),
                Scenario.named("a batch of 5 sign-ups after 8 single ones is 429 and creates nothing")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .given(singleSignUps("single", 8))
                        .when(batch(pbSignUps(USERS, "batch", 5)).as("anon").expect(429)
                                .responseHeader("X-RateLimit-Limit", "10"))
                        .then(list("users").at("/totalItems", 8)),
                Scenario.named("a batch within the limit runs, and the next single sign-up sees what it left")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .when(batch(pbSignUps(USERS, "batch", 3)).as("anon").expect(200))
                        .then(signUp("single").expect(200).responseHeader("X-RateLimit-Remaining", "6"),
                                list("users").at("/totalItems", 4)),
                Scenario.named("seed-shape sign-ups count too: 3 leave 7, then 7 more are 429")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .given(batch(seedSignUps("users", "a", 3)).as("anon").expect(200),
                                signUp("single").expect(200).responseHeader("X-RateLimit-Remaining", "6"))
                        .when(batch(seedSignUps("users", "b", 7)).as("anon").expect(429))
                        .then(list("users").at("/totalItems", 4)),
                Scenario.named("sign-ups addressing users by id count under the users rule, in both shapes")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .given(batch(pbSignUps(USERS_BY_ID, "a", 11)).as("anon").expect(429))
                        .when(batch(seedSignUps("pbc_users000000", "b", 1)).as("anon").expect(429))
                        .then(list("users").at("/totalItems", 0)),
                Scenario.named("updates count against the PATCH rule and deletes against the DELETE rule; nothing runs")
                        .env("RATE_LIMITS", "PATCH " + NOTES + " 2/1m, DELETE " + NOTES + " 3/1m")
                        .given(create("notes", "{'x':1}"), create("notes", "{'x':2}"), create("notes", "{'x':3}"))
                        .when(batch(pb("PATCH", NOTES + "/{id1}", "{'x':10}"), pb("PATCH", NOTES + "/{id2}", "{'x':20}"),
                                pb("PATCH", NOTES + "/{id3}", "{'x':30}")).expect(429)
                                .responseHeader("X-RateLimit-Limit", "2"))
                        .then(get(NOTES + "/{id1}").at("/x", 1),
                                batch(seed("delete", "notes", "{id1}", null), seed("delete", "notes", "{id2}", null),
                                        seed("delete", "notes", "{id3}", null), seed("delete", "notes", "{id1}", null))
                                        .expect(429).responseHeader("X-RateLimit-Limit", "3"),
                                list("notes").at("/totalItems", 3)),
                Scenario.named("an update batch within the PATCH limit runs, and the next PATCH sees what it left")
                        .env("RATE_LIMITS", "PATCH " + NOTES + " 3/1m")
                        .given(create("notes", "{'x':1}"))
                        .when(batch(seed("update", "notes", "{id}", "{'x':2}")).expect(200))
                        .then(patch(NOTES + "/{id}", "{'x':3}").expect(200).responseHeader("X-RateLimit-Remaining", "1")),
                Scenario.named("an upsert (PUT) counts as a create")
                        .env("RATE_LIMITS", "POST " + NOTES + " 2/1m")
                        .given(create("notes", "{'x':1}").responseHeader("X-RateLimit-Remaining", "1"))
                        .when(batch(pb("PUT", NOTES, "{'x':2}"), pb("PUT", NOTES, "{'x':3}")).expect(429)
                                .responseHeader("X-RateLimit-Limit", "2"))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("an upsert naming an id counts as an update too: a PATCH limit cannot be passed with PUT")
                        .env("RATE_LIMITS", "PATCH " + NOTES + " 1/1m")
                        .given(create("notes", "{'x':1}"))
                        .when(batch(pb("PUT", NOTES, "{'id':'{id}','x':2}"), pb("PUT", NOTES, "{'id':'{id}','x':3}")).expect(429)
                                .responseHeader("X-RateLimit-Limit", "1"))
                        .then(get(NOTES + "/{id}").at("/x", 1)),
                Scenario.named("every operation is counted even when another rule refuses the batch")
                        .env("RATE_LIMITS", "POST " + NOTES + " 5/1m, DELETE " + NOTES + " 1/1m")
                        .given(create("notes", "{'x':1}"))
                        .when(batch(pb("DELETE", NOTES + "/{id}", null), pb("DELETE", NOTES + "/{id}", null),
                                pb("POST", NOTES, "{'x':2}")).expect(429).responseHeader("X-RateLimit-Limit", "1"))
                        .then(create("notes", "{'x':3}").expect(200).responseHeader("X-RateLimit-Remaining", "2"),
                                list("notes").at("/totalItems", 2)),
                Scenario.named("the batch route's own rule still applies")
                        .env("RATE_LIMITS", "POST " + BATCH + " 1/1m")
                        .given(batch(pb("POST", NOTES, "{'x':1}")).expect(200).responseHeader("X-RateLimit-Limit", "1"))
                        .when(batch(pb("POST", NOTES, "{'x':2}")).expect(429))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("operations no rule names are not limited, and a batch that does not parse counts nothing")
                        .env("RATE_LIMITS", DEFAULT_LIMITS)
                        .given(batch(pb("POST", NOTES, "{'x':1}"), pb("POST", USERS, "'not an object'")).as("anon").expect(400))
                        .when(batch(pb("POST", NOTES, "{'x':1}")).expect(200).noResponseHeader("X-RateLimit-Limit"))
                        .then(signUp("single").expect(200).responseHeader("X-RateLimit-Remaining", "9")));
    }
}
