package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code @request.auth.<relation>.<field>} in rules, on LMDB and PostgreSQL: the caller's own relations are followed
 * as a record's are — a single relation gives one value, a multiple one several ({@code ?=} holds when the record's
 * field equals one of them).
 *
 * <p>World: teams red and blue; alice's {@code team} is red and her {@code clubs} are red and blue; bob has neither.
 * Docs r (red) and b (blue).
 */
class AuthRelationRuleTest {
    private static final String RED = "teamred00000000";
    private static final String BLUE = "teamblue0000000";

    @TestFactory
    Stream<DynamicTest> authRelations() {
        return ScenarioRunner.tests(Backends.both(List.of(
                scenario("a single relation: team = @request.auth.team, and through it team.name",
                        "team = @request.auth.team && @request.auth.team.name = \\'red\\'",
                        docs("alice", "r"), docs("bob"), docs("anon"),
                        get(record("docs", "docred000000001")).as("alice").expect(200),
                        get(record("docs", "docblue00000001")).as("alice").expect(404)),
                scenario("a multiple relation: team ?= @request.auth.clubs.id",
                        "team ?= @request.auth.clubs.id", docs("alice", "b", "r"), docs("bob"),
                        get(record("docs", "docblue00000001")).as("alice").expect(200)),
                scenario("a multiple relation with a plain = needs one value",
                        "team = @request.auth.clubs.id", docs("alice"), docs("bob")))));
    }

    private static Scenario scenario(String name, String rule, Step... then) {
        return Scenario.named(name).users("alice", "bob")
                .given(collection("{'name':'teams','fields':[{'name':'name','type':'text'}]}"),
                        create("teams", "{'id':'" + RED + "','name':'red'}"),
                        create("teams", "{'id':'" + BLUE + "','name':'blue'}"),
                        patch("/api/collections/users", "{'fields':[{'name':'name','type':'text'},"
                                + "{'name':'team','type':'relation','collectionId':'teams'},"
                                + "{'name':'clubs','type':'relation','collectionId':'teams','maxSelect':5}]}").expect(200),
                        patch(record("users", "{alice}"), "{'team':'" + RED + "','clubs':['" + RED + "','" + BLUE + "']}")
                                .expect(200),
                        collection("{'name':'docs','listRule':'" + rule + "','viewRule':'" + rule + "','fields':["
                                + "{'name':'title','type':'text'},{'name':'team','type':'relation','collectionId':'teams'}]}"),
                        create("docs", "{'id':'docred000000001','title':'r','team':'" + RED + "'}"),
                        create("docs", "{'id':'docblue00000001','title':'b','team':'" + BLUE + "'}"))
                .when(then[0]).then(java.util.Arrays.copyOfRange(then, 1, then.length));
    }

    private static Step docs(String who, String... titles) {
        Step s = list("docs", "sort", "title").as(who).expect(200).at("/totalItems", titles.length).size("/items", titles.length);
        for (int i = 0; i < titles.length; i++) s = s.at("/items/" + i + "/title", titles[i]);
        return s;
    }
}
