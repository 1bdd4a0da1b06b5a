package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Relation paths in filters and rules, on LMDB and PostgreSQL (docs/API.md "Relation paths in filters and rules").
 *
 * <p>World: authors A (owner alice, "Alice") and B (owner bob, "Bob"); tags red, blue; posts a1 (A, [red, blue]),
 * a2 (A, [red]), b1 (B, []) whose list/view/update rule is {@code author.owner = @request.auth.id}; comments
 * c1 "hello" and c2 "world" on a1, c3 "hello" on a2 (open rules); secrets (locked) pointing at a1.
 */
class RelationPathsApiTest {
    private static final String OWNED = "author.owner = @request.auth.id";
    private static final String A = "authoralice0000";
    private static final String B = "authorbob000000";
    private static final String A1 = "postalice000001";
    private static final String A2 = "postalice000002";
    private static final String B1 = "postbob00000001";

    @TestFactory
    Stream<DynamicTest> paths() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step[] world() {
        return new Step[] {
            collection("{'name':'authors','listRule':'','viewRule':'','fields':[{'name':'name','type':'text'},"
                    + "{'name':'owner','type':'relation','collectionId':'users','maxSelect':1}]}"),
            collection("{'name':'tags','listRule':'','viewRule':'','fields':[{'name':'label','type':'text'}]}"),
            collection("{'name':'posts','listRule':'" + OWNED + "','viewRule':'" + OWNED + "','updateRule':'" + OWNED
                    + "','fields':[{'name':'title','type':'text'},"
                    + "{'name':'author','type':'relation','collectionId':'authors','maxSelect':1},"
                    + "{'name':'tags','type':'relation','collectionId':'tags','maxSelect':5}]}"),
            collection("{'name':'comments','listRule':'','viewRule':'','fields':[{'name':'body','type':'text'},"
                    + "{'name':'post','type':'relation','collectionId':'posts','maxSelect':1}]}"),
            collection("{'name':'secrets','fields':[{'name':'code','type':'text'},"
                    + "{'name':'post','type':'relation','collectionId':'posts','maxSelect':1}]}"),
            create("authors", "{'id':'" + A + "','name':'Alice','owner':'{alice}'}"),
            create("authors", "{'id':'" + B + "','name':'Bob','owner':'{bob}'}"),
            create("tags", "{'id':'tagred000000000','label':'red'}"),
            create("tags", "{'id':'tagblue00000000','label':'blue'}"),
            create("posts", "{'id':'" + A1 + "','title':'a1','author':'" + A + "','tags':['tagred000000000','tagblue00000000']}"),
            create("posts", "{'id':'" + A2 + "','title':'a2','author':'" + A + "','tags':['tagred000000000']}"),
            create("posts", "{'id':'" + B1 + "','title':'b1','author':'" + B + "','tags':[]}"),
            create("comments", "{'body':'hello','post':'" + A1 + "'}"),
            create("comments", "{'body':'world','post':'" + A1 + "'}"),
            create("comments", "{'body':'hello','post':'" + A2 + "'}"),
            create("secrets", "{'code':'s3cret','post':'" + A1 + "'}"),
        };
    }

    private static Scenario scenario(String name, Step when, Step... then) {
        return Scenario.named(name).users("alice", "bob").given(world()).when(when).then(then);
    }

    /** A list of posts with {@code filter} as {@code who}, sorted by title, expecting these titles exactly. */
    private static Step posts(String who, String filter, String... titles) {
        Step s = (filter == null ? list("posts", "sort", "title") : list("posts", "sort", "title", "filter", filter))
                .as(who).expect(200).at("/totalItems", titles.length).size("/items", titles.length);
        for (int i = 0; i < titles.length; i++) s = s.at("/items/" + i + "/title", titles[i]);
        return s;
    }

    private static List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        // (1) the two-user case: the list rule runs inside the query, with exact totals
        out.add(scenario("list rule author.owner: alice, bob and anon each see exactly theirs",
                posts("alice", null, "a1", "a2"), posts("bob", null, "b1"), posts("anon", null),
                posts("alice", "author.name = \"Alice\"", "a1", "a2"), posts("bob", "author.name = \"Alice\""),
                posts("alice", "title = \"a2\" && author.name != \"Bob\"", "a2")));
        out.add(scenario("paged: totals stay exact under a relation rule",
                list("posts", "perPage", "1", "page", "2", "sort", "title").as("alice").expect(200)
                        .at("/totalItems", 2).at("/totalPages", 2).at("/items/0/title", "a2")));
        out.add(scenario("view and update rules follow the relation per record",
                get("/api/collections/posts/records/" + A1).as("alice").expect(200).at("/title", "a1"),
                get("/api/collections/posts/records/" + A1).as("bob").expect(404),
                patch("/api/collections/posts/records/" + B1, "{'title':'x'}").as("alice").expect(404),
                patch("/api/collections/posts/records/" + B1, "{'title':'b1!'}").as("bob").expect(200)));
        // nested
        out.add(scenario("nested path post.author.owner / post.author.name",
                list("comments", "filter", "post.author.name = \"Alice\"").as("admin").expect(200).at("/totalItems", 3),
                list("comments", "filter", "post.author.name = \"Alice\"").as("alice").expect(200).at("/totalItems", 3),
                list("comments", "filter", "post.author.owner = \"{bob}\"").as("alice").expect(200).at("/totalItems", 0),
                list("comments", "filter", "post.author.name:lower = \"alice\" && body = \"world\"").as("admin")
                        .expect(200).at("/totalItems", 1)));
        // (2) multi relation: ?= is any, = is all; an empty relation is one null
        out.add(scenario("multi relation: any vs all",
                posts("admin", "tags.label ?= \"blue\"", "a1"), posts("admin", "tags.label = \"red\"", "a2"),
                posts("admin", "tags.label != \"blue\"", "a2", "b1"), posts("admin", "tags.label ?!= \"red\"", "a1", "b1"),
                posts("admin", "tags:length = 2", "a1"), posts("admin", "tags:each ?= \"tagblue00000000\"", "a1")));
        // (3) back-relation
        out.add(scenario("back-relation comments_via_post",
                posts("admin", "comments_via_post.body ?= \"world\"", "a1"),
                posts("admin", "comments_via_post.body = \"hello\"", "a2"),
                posts("admin", "comments_via_post.body != \"world\"", "a2", "b1"),
                posts("alice", "comments_via_post.body ?= \"hello\"", "a1", "a2")));
        // client filters see only target records they may list (anon may list no post: nothing matches), may not
        // enter a locked collection (400, no count) nor reach a hidden field
        out.add(scenario("a path into a locked collection is refused without a count",
                list("comments", "filter", "post.author.name = \"Alice\"").as("bob").expect(200).at("/totalItems", 0),
                list("comments", "filter", "post.author.name = \"Alice\"").as("anon").expect(200).at("/totalItems", 0),
                list("posts", "filter", "secrets_via_post.code = \"s3cret\"").as("alice").expect(400).lacks("totalItems"),
                list("posts", "filter", "author.owner.password = \"x\"").as("bob").expect(400).lacks("totalItems"),
                list("posts", "filter", "author.nosuch = 1").as("admin").expect(400)));
        // rule validation through the target collection
        out.add(scenario("rules are validated through relations",
                collection("{'name':'bad','listRule':'owner.nosuch = 1','fields':[{'name':'owner','type':'relation','collectionId':'users'}]}")
                        .expect(400).has("listRule"),
                collection("{'name':'good','listRule':'owner.verified = true','fields':[{'name':'owner','type':'relation','collectionId':'users'}]}")
                        .expect(200),
                collection("{'name':'bad2','listRule':'title:upper = 1','fields':[{'name':'title','type':'text'}]}")
                        .expect(400).has("listRule")));
        return out;
    }
}
