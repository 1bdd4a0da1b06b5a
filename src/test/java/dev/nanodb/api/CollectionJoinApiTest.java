package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code @collection.<name>[:alias].<field>} joins in rules and superuser filters, on LMDB and PostgreSQL
 * (docs/API.md "Joins with @collection").
 *
 * <p>World: teams red and blue; members (alice, red, editor), (bob, blue, viewer), (carol, blue, editor); docs r1,
 * r2 (red) and b1 (blue) readable by members of their team; an update rule that asks for an editor of the team
 * through an alias; a create rule on the body's team; notices listable while every flag is on.
 */
class CollectionJoinApiTest {
    private static final String MEMBER = "@collection.members.team ?= team && @collection.members.user ?= @request.auth.id";
    private static final String EDITOR = "@collection.members:ed.team ?= team && @collection.members:ed.user ?= @request.auth.id"
            + " && @collection.members:ed.role ?= \\\"editor\\\""; // JSON-escaped: it goes into a collection body
    private static final String CREATE = "@collection.members.team ?= @request.body.team && @collection.members.user ?= @request.auth.id";
    private static final String RED = "teamred00000000";
    private static final String BLUE = "teamblue0000000";
    private static final String R1 = "docred000000001";
    private static final String B1 = "docblue00000001";

    @TestFactory
    Stream<DynamicTest> joins() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step[] world() {
        return new Step[] {
            collection("{'name':'teams','fields':[{'name':'name','type':'text'}]}"),
            collection("{'name':'members','fields':[{'name':'team','type':'relation','collectionId':'teams','maxSelect':1},"
                    + "{'name':'user','type':'relation','collectionId':'users','maxSelect':1},{'name':'role','type':'text'}]}"),
            collection("{'name':'docs','listRule':'" + MEMBER + "','viewRule':'" + MEMBER + "','updateRule':'" + EDITOR
                    + "','createRule':'" + CREATE + "','fields':[{'name':'title','type':'text'},"
                    + "{'name':'team','type':'relation','collectionId':'teams','maxSelect':1}]}"),
            collection("{'name':'flags','fields':[{'name':'enabled','type':'bool'}]}"),
            collection("{'name':'notices','listRule':'@collection.flags.enabled = true','fields':[{'name':'text','type':'text'}]}"),
            create("teams", "{'id':'" + RED + "','name':'red'}"),
            create("teams", "{'id':'" + BLUE + "','name':'blue'}"),
            create("members", "{'team':'" + RED + "','user':'{alice}','role':'editor'}"),
            create("members", "{'team':'" + BLUE + "','user':'{bob}','role':'viewer'}"),
            create("members", "{'team':'" + BLUE + "','user':'{carol}','role':'editor'}"),
            create("docs", "{'id':'" + R1 + "','title':'r1','team':'" + RED + "'}"),
            create("docs", "{'title':'r2','team':'" + RED + "'}"),
            create("docs", "{'id':'" + B1 + "','title':'b1','team':'" + BLUE + "'}"),
            create("notices", "{'text':'hello'}"),
        };
    }

    private static Scenario scenario(String name, Step when, Step... then) {
        return Scenario.named(name).users("alice", "bob", "carol", "dave").given(world()).when(when).then(then);
    }

    private static Step docs(String who, String filter, String... titles) {
        Step s = (filter == null ? list("docs", "sort", "title") : list("docs", "sort", "title", "filter", filter))
                .as(who).expect(200).at("/totalItems", titles.length).size("/items", titles.length);
        for (int i = 0; i < titles.length; i++) s = s.at("/items/" + i + "/title", titles[i]);
        return s;
    }

    private static List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        // one alias = one joined record: alice is a member (of red) and blue has members, yet b1 is not hers
        out.add(scenario("a group judges one joined record: each user lists exactly the team's docs",
                docs("alice", null, "r1", "r2"), docs("bob", null, "b1"), docs("carol", null, "b1"),
                docs("dave", null), docs("anon", null),
                list("docs", "perPage", "1", "page", "2", "sort", "title").as("alice").expect(200)
                        .at("/totalItems", 2).at("/totalPages", 2).at("/items/0/title", "r2")));
        out.add(scenario("view follows the same join per record",
                get("/api/collections/docs/records/" + R1).as("alice").expect(200).at("/title", "r1"),
                get("/api/collections/docs/records/" + B1).as("alice").expect(404),
                get("/api/collections/docs/records/" + B1).as("bob").expect(200),
                get("/api/collections/docs/records/" + B1).as("dave").expect(404)));
        out.add(scenario("an alias group asks for an editor: carol may update b1, bob (viewer) may not",
                patch("/api/collections/docs/records/" + B1, "{'title':'b1!'}").as("bob").expect(404),
                patch("/api/collections/docs/records/" + B1, "{'title':'b1!'}").as("carol").expect(200).at("/title", "b1!"),
                patch("/api/collections/docs/records/" + R1, "{'title':'r1!'}").as("carol").expect(404)));
        out.add(scenario("a create rule joins on the body: only into one's own team",
                post("/api/collections/docs/records", "{'title':'x','team':'" + RED + "'}").as("alice").expect(200),
                post("/api/collections/docs/records", "{'title':'x','team':'" + BLUE + "'}").as("alice").expect(400),
                post("/api/collections/docs/records", "{'title':'x','team':'" + RED + "'}").as("anon").expect(400)));
        out.add(scenario("membership changes take effect on the next request",
                docs("dave", null),
                create("members", "{'team':'" + BLUE + "','user':'{dave}','role':'viewer'}"),
                docs("dave", null, "b1")));
        // a plain operator: every record of the joined collection (PocketBase's multi-match)
        out.add(scenario("a plain operator holds when every joined record satisfies it (no record: one null row)",
                list("notices").as("anon").expect(200).at("/totalItems", 0),
                create("flags", "{'enabled':true}"),
                list("notices").as("anon").expect(200).at("/totalItems", 1),
                create("flags", "{'enabled':false}"),
                list("notices").as("anon").expect(200).at("/totalItems", 0)));
        // superusers may join in their own filters; anyone else is refused without a count
        out.add(scenario("superuser filters may join; others get 403",
                docs("admin", "@collection.members.team ?= team && @collection.members.user ?= \"{bob}\"", "b1"),
                docs("admin", "@collection.members.team ?= team && @collection.members.role ?= \"editor\"", "b1", "r1", "r2"),
                docs("admin", "@collection.members.role ?= \"nobody\""),
                docs("admin", "@collection.members.team.name ?= \"red\" && @collection.members.user ?= \"{bob}\""),
                docs("admin", "@collection.members.team.name ?= \"blue\" && @collection.members.user ?= \"{bob}\"", "b1", "r1", "r2"),
                docs("admin", "@collection.members.role:lower ?= \"viewer\" && @collection.members.team ?= team", "b1"),
                list("docs", "filter", "@collection.members.user ?= \"{alice}\"").as("alice").expect(403).lacks("totalItems"),
                list("docs", "filter", "@collection.nosuch.x ?= 1").as("admin").expect(400).has("filter")));
        out.add(scenario("rules with joins are validated when saved",
                collection("{'name':'bad1','listRule':'@collection.nosuch.team ?= id','fields':[]}").expect(400).has("listRule"),
                collection("{'name':'bad2','listRule':'@collection.members.nosuch ?= id','fields':[]}").expect(400).has("listRule"),
                collection("{'name':'bad3','listRule':'@collection.members.team ?= id && @collection.members.user ?= id',"
                        + "'fields':[]}").expect(400).has("listRule"),
                collection("{'name':'bad4','listRule':'@collection.members.team = id','fields':[]}").expect(400).has("listRule"),
                collection("{'name':'bad5','listRule':'@collection.members.team ?= @collection.teams.id','fields':[]}")
                        .expect(400).has("listRule"),
                collection("{'name':'good','listRule':'@collection.members:m.user ?= @request.auth.id && @collection.members:m.team ?= id',"
                        + "'fields':[]}").expect(200)));
        out.add(scenario("a joined collection cannot be deleted or renamed while a rule joins it",
                delete("/api/collections/members").as("admin").expect(400).has("docs.listRule"),
                patch("/api/collections/members", "{'name':'crew'}").as("admin").expect(400).has("docs.listRule"),
                patch("/api/collections/members", "{'fields':[{'name':'team','type':'relation','collectionId':'teams','maxSelect':1},"
                        + "{'name':'user','type':'relation','collectionId':'users','maxSelect':1}]}").as("admin").expect(400)
                        .has("docs.updateRule"),
                docs("alice", null, "r1", "r2")));
        return out;
    }
}
