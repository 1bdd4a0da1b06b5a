package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code emailVisibility}: an auth record's email reaches others (views, lists, expansions, batch answers) only when
 * it is true, always the record itself and superusers; and a filter on {@code email} from anyone but a superuser
 * matches only visible emails (PocketBase), so it cannot tell whether a hidden address is someone's.
 */
class EmailVisibilityApiTest {
    private static final String OPEN_USERS = "{'listRule':'','viewRule':''}";
    private static final String BOB = record("users", "{bob}");
    private static final String BOB_EMAIL = "bob@example.com";

    @TestFactory
    Stream<DynamicTest> emailVisibility() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("a hidden email is shown to the record itself and superusers only")
                        .users("alice", "bob")
                        .given(patch("/api/collections/users", OPEN_USERS).expect(200))
                        .when(get(BOB).as("alice").expect(200).at("/id", "{bob}").missing("/email")
                                .at("/emailVisibility", false))
                        .then(get(BOB).as("anon").expect(200).missing("/email"),
                                get(BOB).as("bob").expect(200).at("/email", BOB_EMAIL),
                                get(BOB).expect(200).at("/email", BOB_EMAIL),
                                list("users").as("alice").expect(200).at("/totalItems", 2).lacks(BOB_EMAIL)
                                        .has("alice@example.com"),
                                list("users", "fields", "id,email").as("anon").expect(200).lacks(BOB_EMAIL),
                                patch(BOB, "{'name':'Bob'}").as("bob").expect(200).at("/email", BOB_EMAIL)),
                Scenario.named("an email made visible is shown to everyone who may view the record")
                        .users("alice", "bob")
                        .given(patch("/api/collections/users", OPEN_USERS).expect(200),
                                patch(BOB, "{'emailVisibility':true}").as("bob").expect(200))
                        .when(get(BOB).as("alice").expect(200).at("/email", BOB_EMAIL))
                        .then(list("users").as("anon").expect(200).has(BOB_EMAIL)),
                Scenario.named("a filter on a hidden email matches nothing for users, the owner included")
                        .users("alice", "bob")
                        .given(patch("/api/collections/users", OPEN_USERS).expect(200))
                        .when(list("users", "filter", "email='" + BOB_EMAIL + "'").as("alice").expect(200)
                                .at("/totalItems", 0))
                        .then(list("users", "filter", "email:lower~'bob@'").as("anon").expect(200).at("/totalItems", 0),
                                list("users", "filter", "email!='nobody@example.com'").as("alice").expect(200)
                                        .at("/totalItems", 0),
                                list("users", "filter", "email='" + BOB_EMAIL + "'").as("bob").expect(200).at("/totalItems", 0),
                                list("users", "filter", "email='" + BOB_EMAIL + "'").expect(200).at("/totalItems", 1),
                                patch(BOB, "{'emailVisibility':true}").as("bob").expect(200),
                                list("users", "filter", "email='" + BOB_EMAIL + "'").as("alice").expect(200).at("/totalItems", 1)),
                Scenario.named("an expanded author carries no hidden email")
                        .users("alice", "bob")
                        .given(patch("/api/collections/users", OPEN_USERS).expect(200),
                                collection("{'name':'posts','fields':[{'name':'title','type':'text'},{'name':'author',"
                                        + "'type':'relation','collectionId':'users'}],'listRule':'','viewRule':''}").expect(200),
                                create("posts", "{'title':'hello','author':'{bob}'}").expect(200))
                        .when(list("posts", "expand", "author").as("alice").expect(200).at("/items/0/expand/author/id", "{bob}")
                                .lacks(BOB_EMAIL))
                        .then(get(record("posts", "{id}") + "?expand=author").as("anon").expect(200).lacks(BOB_EMAIL),
                                get(record("posts", "{id}") + "?expand=author").as("bob").expect(200).has(BOB_EMAIL)),
                Scenario.named("a batch answer about another account carries no hidden email")
                        .users("alice", "bob")
                        .given(patch("/api/collections/users", "{'listRule':'','viewRule':'','updateRule':''}").expect(200))
                        .when(post("/api/batch", "{'requests':[{'method':'PATCH','url':'/api/collections/users/records/{bob}',"
                                + "'body':{'name':'B'}}]}").as("alice").expect(200).lacks(BOB_EMAIL)));
    }
}
