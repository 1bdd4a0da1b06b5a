package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Relation fields over HTTP on both backends: targets that must exist, modifiers, what a delete does to the
 * records that reference it, and the collection-level guards of the relation graph.
 */
class RelationsApiTest {
    static final String AUTHORS = "{'name':'authors','fields':[{'name':'name','type':'text'}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    static final String TAGS = "{'name':'tags','fields':[{'name':'name','type':'text'}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    /** posts.author: optional single; posts.tags: multiple (at most 3); posts.editor: required single. */
    static final String POSTS = "{'name':'posts','fields':[{'name':'title','type':'text'},"
            + "{'name':'author','type':'relation','collectionId':'authors','maxSelect':1},"
            + "{'name':'tags','type':'relation','collectionId':'tags','maxSelect':3,'minSelect':2}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    static final String COMMENTS = "{'name':'comments','fields':[{'name':'body','type':'text'},"
            + "{'name':'post','type':'relation','collectionId':'posts','cascadeDelete':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    static final String REVIEWS = "{'name':'reviews','fields':["
            + "{'name':'author','type':'relation','collectionId':'authors','required':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    private static final String MISSING = "zzzzzzzzzzzzzzz";

    @TestFactory
    Stream<DynamicTest> relations() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step[] world() {
        return new Step[] {collection(AUTHORS), collection(TAGS), collection(POSTS), create("authors", "{'name':'Ann'}"),
                create("tags", "{'name':'a'}"), create("tags", "{'name':'b'}"), create("tags", "{'name':'c'}")};
    }

    private static Step[] with(Step... more) {
        Step[] base = world();
        Step[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("a relation to an id that exists nowhere is 400 on the field and stores nothing")
                        .given(world())
                        .when(create("posts", "{'title':'x','author':'" + MISSING + "'}").expect(400)
                                .at("/data/author/code", "validation_missing_rel_records"))
                        .then(list("posts").at("/totalItems", 0)),
                Scenario.named("an id of another collection is not a target")
                        .given(world())
                        .when(create("posts", "{'author':'{id2}'}").expect(400).at("/data/author/code", "validation_missing_rel_records")),
                Scenario.named("a relation to an existing record is stored as its id")
                        .given(world())
                        .when(create("posts", "{'title':'x','author':'{id1}','tags':['{id2}','{id3}']}").expect(200)
                                .at("/author", "{id1}").at("/tags/0", "{id2}").at("/tags/1", "{id3}")),
                Scenario.named("too many ids is 400, too few too")
                        .given(world())
                        .when(create("posts", "{'tags':['{id2}','{id3}','{id4}','{id1}']}").expect(400)
                                .at("/data/tags/code", "validation_too_many_values"))
                        .then(create("posts", "{'tags':['{id2}']}").expect(400).at("/data/tags/code", "validation_not_enough_values")),
                Scenario.named("tags+ appends, +tags prepends, tags- removes, against the stored value")
                        .given(with(create("posts", "{'tags':['{id2}','{id3}']}")))
                        .when(patch(record("posts", "{id5}"), "{'tags+':'{id4}'}").expect(200)
                                .at("/tags/0", "{id2}").at("/tags/2", "{id4}"))
                        .then(patch(record("posts", "{id5}"), "{'tags-':['{id2}','" + MISSING + "']}").expect(200)
                                        .at("/tags/0", "{id3}").at("/tags/1", "{id4}").size("/tags", 2),
                                patch(record("posts", "{id5}"), "{'+tags':'{id2}','tags-':'{id4}'}").expect(200)
                                        .at("/tags/0", "{id2}").at("/tags/1", "{id3}").size("/tags", 2)),
                Scenario.named("a modifier adding a missing id is refused like a plain value")
                        .given(with(create("posts", "{'tags':['{id2}','{id3}']}")))
                        .when(patch(record("posts", "{id5}"), "{'tags+':'" + MISSING + "'}").expect(400)
                                .at("/data/tags/code", "validation_missing_rel_records"))
                        .then(get(record("posts", "{id5}")).size("/tags", 2).at("/_version", 1)),
                Scenario.named("modifiers work in a batch, after a create of the target in the same batch")
                        .given(with(create("posts", "{'tags':['{id2}','{id3}']}")))
                        .when(post("/api/batch", BatchOps.requests(
                                BatchOps.pb("POST", "/api/collections/tags/records", "{'id':'tagfrombatch001','name':'d'}"),
                                BatchOps.pb("PATCH", "/api/collections/posts/records/{id5}", "{'tags+':'tagfrombatch001','tags-':'{id2}'}")))
                                .expect(200).at("/1/body/tags/1", "tagfrombatch001").size("/1/body/tags", 2)),
                Scenario.named("deleting a target unsets an optional relation of the records that hold it")
                        .given(with(create("posts", "{'title':'x','author':'{id1}'}")))
                        .when(delete(record("authors", "{id1}")).expect(200))
                        .then(get(record("posts", "{id5}")).at("/author", "").at("/_version", 2)),
                Scenario.named("deleting a target removes its id from a multiple relation and keeps the rest")
                        .given(with(create("posts", "{'tags':['{id2}','{id3}','{id4}']}")))
                        .when(delete(record("tags", "{id3}")).expect(200))
                        .then(get(record("posts", "{id5}")).at("/tags/0", "{id2}").at("/tags/1", "{id4}").size("/tags", 2)),
                Scenario.named("a required relation refuses the delete of its target: 400 and nothing changes")
                        .given(with(collection(REVIEWS), create("reviews", "{'author':'{id1}'}")))
                        .when(delete(record("authors", "{id1}")).expect(400)
                                .has("Make sure that the record is not part of a required relation reference"))
                        .then(get(record("authors", "{id1}")).at("/name", "Ann"), list("reviews").at("/totalItems", 1)),
                Scenario.named("cascadeDelete deletes the records that reference the deleted one")
                        .given(with(collection(COMMENTS), create("posts", "{'title':'x'}"), create("comments", "{'post':'{id5}'}"),
                                create("comments", "{'post':'{id5}'}")))
                        .when(delete(record("posts", "{id5}")).expect(200))
                        .then(list("comments").at("/totalItems", 0)),
                Scenario.named("a collection another one references cannot be deleted")
                        .given(world())
                        .when(delete("/api/collections/authors").expect(400).has("posts.author"))
                        .then(get("/api/collections/authors").expect(200)),
                Scenario.named("a relation field names an existing collection; a name is stored as its id")
                        .given(collection(AUTHORS))
                        .when(post("/api/collections", "{'name':'x','fields':[{'name':'r','type':'relation','collectionId':'nope'}]}")
                                .expect(400).at("/data/fields.0.collectionId/code", "validation_missing_collection"))
                        .then(post("/api/collections", "{'name':'y','fields':[{'name':'r','type':'relation','collectionId':'authors'}]}")
                                .expect(200).matches("/fields/0/collectionId", "pbc_[a-z0-9]+").at("/fields/0/maxSelect", 1)
                                .at("/fields/0/cascadeDelete", false)),
                Scenario.named("the target of an existing relation field cannot change")
                        .given(world())
                        .when(patch("/api/collections/posts", "{'fields':[{'name':'title','type':'text'},"
                                + "{'name':'author','type':'relation','collectionId':'tags'},"
                                + "{'name':'tags','type':'relation','collectionId':'tags','maxSelect':3}]}")
                                .expect(400).at("/data/fields.1.collectionId/code", "validation_target_change")),
                Scenario.named("a relation field without a target is 400")
                        .when(post("/api/collections", "{'name':'x','fields':[{'name':'r','type':'relation'}]}")
                                .expect(400).at("/data/fields.0.collectionId/code", "validation_required")),
                Scenario.named("auth-with-password and auth-refresh expand the signed-in record's relations")
                        .users("alice")
                        .given(collection("{'name':'teams','fields':[{'name':'name','type':'text'}],'viewRule':'',"
                                        + "'listRule':''}"), create("teams", "{'name':'Blue'}"),
                                patch("/api/collections/users", "{'fields':[{'name':'name','type':'text'},"
                                        + "{'name':'team','type':'relation','collectionId':'teams'}]}").expect(200),
                                patch(record("users", "{alice}"), "{'team':'{id1}'}").expect(200))
                        .when(post("/api/collections/users/auth-with-password?expand=team",
                                "{'identity':'alice@example.com','password':'password123'}").as("anon").expect(200)
                                .at("/record/expand/team/name", "Blue").present("/token"))
                        .then(post("/api/collections/users/auth-refresh?expand=team", null).as("alice").expect(200)
                                        .at("/record/expand/team/name", "Blue"),
                                post("/api/collections/users/auth-with-password",
                                        "{'identity':'alice@example.com','password':'password123'}").as("anon")
                                        .missing("/record/expand")),
                Scenario.named("a change that would break another collection's rule through a relation is refused")
                        .given(with(patch("/api/collections/posts", "{'listRule':'author.name != \\'\\''}").expect(200),
                                patch("/api/collections/authors", "{'viewRule':'posts_via_author.title ?= \\'x\\''}").expect(200)))
                        .when(patch("/api/collections/authors", "{'fields':[{'name':'nick','type':'text'}]}").expect(400)
                                .at("/data/posts.listRule/code", "validation_rule_dependency"))
                        .then(patch("/api/collections/posts", "{'name':'articles'}").expect(400)
                                        .at("/data/authors.viewRule/code", "validation_rule_dependency"),
                                get("/api/collections/authors").at("/fields/0/name", "name"),
                                get("/api/collections/posts").at("/name", "posts")),
                Scenario.named("a self-relation may name the collection being created")
                        .when(post("/api/collections", "{'name':'nodes','fields':[{'name':'parent','type':'relation','collectionId':'nodes'}],"
                                + "'createRule':''}").expect(200))
                        .then(create("nodes", "{}").expect(200), create("nodes", "{'parent':'{id1}'}").expect(200)));
    }
}
