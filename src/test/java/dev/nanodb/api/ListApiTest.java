package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.post;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.list;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@code GET /api/collections/{c}/records} parameters: page, perPage, sort, filter, fields, skipTotal. */
class ListApiTest {

    @TestFactory
    Stream<DynamicTest> listParameters() {
        return ScenarioRunner.tests(scenarios());
    }

    /** posts: abc1 (5, draft), xabcx (20, published), ABC (30, published), other (50, draft). */
    private static Step[] fourPosts() {
        return new Step[] {collection(POSTS), create("posts", post("abc1", 5, "draft")),
                create("posts", post("xabcx", 20, "published")), create("posts", post("ABC", 30, "published")),
                create("posts", post("other", 50, "draft"))};
    }

    private static Step[] notes(int n) {
        List<Step> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(create("notes", "{'title':'t" + i + "','n':" + i + "}"));
        return out.toArray(Step[]::new);
    }

    private static Scenario badParam(String name, String value) {
        return Scenario.named(name + "=" + value + " is 400 with data." + name)
                .given(create("notes", "{'a':1}"))
                .when(list("notes", name, value).expect(400).present("/data/" + name));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("defaults: page 1, perPage 30, exact totals")
                        .given(notes(3))
                        .when(list("notes").expect(200).at("/page", 1).at("/perPage", 30).at("/totalItems", 3)
                                .at("/totalPages", 1).size("/items", 3)),
                Scenario.named("an empty collection lists zero items and zero pages")
                        .given(create("notes", "{'a':1}"), Step.delete(Fixtures.record("notes", "{id}")))
                        .when(list("notes").expect(200).at("/totalItems", 0).at("/totalPages", 0).size("/items", 0)),
                Scenario.named("page 2 of perPage 2 holds the third record")
                        .given(notes(3))
                        .when(list("notes", "page", "2", "perPage", "2").expect(200).at("/page", 2).at("/perPage", 2)
                                .at("/totalItems", 3).at("/totalPages", 2).size("/items", 1).at("/items/0/id", "{id3}")),
                Scenario.named("a page past the end is empty with exact totals")
                        .given(notes(2))
                        .when(list("notes", "page", "9", "perPage", "1").expect(200).size("/items", 0)
                                .at("/totalItems", 2).at("/totalPages", 2)),
                Scenario.named("perPage=1000 is accepted")
                        .given(notes(2))
                        .when(list("notes", "perPage", "1000").expect(200).at("/perPage", 1000).size("/items", 2)),
                Scenario.named("perPage above 1000 is lowered to 1000, as PocketBase does")
                        .given(notes(2))
                        .when(list("notes", "perPage", "5000").expect(200).at("/perPage", 1000).size("/items", 2)),
                badParam("perPage", "0"),
                badParam("perPage", "-5"),
                badParam("perPage", "abc"),
                badParam("perPage", "1.5"),
                badParam("page", "0"),
                badParam("page", "abc"),
                badParam("page", "-1"),
                Scenario.named("sort=-created,title is accepted")
                        .given(notes(3))
                        .when(list("notes", "sort", "-created,title").expect(200).size("/items", 3).at("/totalItems", 3)),
                Scenario.named("sort=-views,title orders by views descending")
                        .given(fourPosts())
                        .when(list("posts", "sort", "-views,title").expect(200).at("/items/0/title", "other")
                                .at("/items/1/title", "ABC").at("/items/2/title", "xabcx").at("/items/3/title", "abc1")),
                Scenario.named("sort=status,-views orders by status then views descending")
                        .given(fourPosts())
                        .when(list("posts", "sort", "status,-views").expect(200).at("/items/0/title", "other")
                                .at("/items/1/title", "abc1").at("/items/2/title", "ABC").at("/items/3/title", "xabcx")),
                Scenario.named("sort=title orders by code point (capitals first)")
                        .given(fourPosts())
                        .when(list("posts", "sort", "title").expect(200).at("/items/0/title", "ABC")
                                .at("/items/1/title", "abc1").at("/items/2/title", "other").at("/items/3/title", "xabcx")),
                Scenario.named("sort by an unknown field of a schema collection is 400")
                        .given(fourPosts())
                        .when(list("posts", "sort", "-nope").expect(400).present("/data/sort")),
                Scenario.named("sort by an unknown field of a schemaless collection is allowed")
                        .given(notes(2))
                        .when(list("notes", "sort", "-whatever").expect(200).size("/items", 2)),
                Scenario.named("sort with an invalid name is 400")
                        .given(notes(1))
                        .when(list("notes", "sort", "title;drop").expect(400).present("/data/sort")),
                Scenario.named("filter views > 10 && title ~ \"abc\" (indexed range + case-insensitive contains)")
                        .given(fourPosts())
                        .when(list("posts", "filter", "views > 10 && title ~ \"abc\"", "sort", "views").expect(200)
                                .at("/totalItems", 2).size("/items", 2).at("/items/0/title", "xabcx")
                                .at("/items/1/title", "ABC")),
                Scenario.named("filter with || and parentheses")
                        .given(fourPosts())
                        .when(list("posts", "filter", "(views < 10 || views >= 50) && status = 'draft'", "sort", "views")
                                .expect(200).at("/totalItems", 2).at("/items/0/title", "abc1").at("/items/1/title", "other")),
                Scenario.named("filter != and !~")
                        .given(fourPosts())
                        .when(list("posts", "filter", "status != 'draft' && title !~ 'x'").expect(200)
                                .at("/totalItems", 1).at("/items/0/title", "ABC")),
                Scenario.named("seed JSON filter {\"status\":\"published\"}")
                        .given(fourPosts())
                        .when(list("posts", "filter", "{\"status\":\"published\"}", "sort", "views").expect(200)
                                .at("/totalItems", 2).at("/items/0/title", "xabcx").at("/items/1/title", "ABC")),
                Scenario.named("seed JSON filter with two keys")
                        .given(fourPosts())
                        .when(list("posts", "filter", "{\"status\":\"draft\",\"views\":50}").expect(200)
                                .at("/totalItems", 1).at("/items/0/title", "other")),
                Scenario.named("seed filter status=published")
                        .given(fourPosts())
                        .when(list("posts", "filter", "status=published").expect(200).at("/totalItems", 2)
                                .lacks("'draft'")),
                Scenario.named("filter by id")
                        .given(fourPosts())
                        .when(list("posts", "filter", "id = '{id2}'").expect(200).at("/totalItems", 1)
                                .at("/items/0/id", "{id2}")),
                // every record is created now, so each date comparison is combined with one on views: the date
                // decides whether abc1 (first) and other (second) are in or out, and the rest never match
                Scenario.named("filter by created against a date string")
                        .given(fourPosts())
                        .when(list("posts", "filter", "created > '2000-01-01 00:00:00.000Z' && views < 10").expect(200)
                                .at("/totalItems", 1).at("/items/0/id", "{id1}"))
                        .then(list("posts", "filter", "created < '2000-01-01 00:00:00.000Z' || views >= 50")
                                .at("/totalItems", 1).at("/items/0/id", "{id4}")),
                Scenario.named("filter with a syntax error is 400 naming the position")
                        .given(fourPosts())
                        .when(list("posts", "filter", "views > ").expect(400).present("/data/filter").has("position")),
                Scenario.named("filter with an unbalanced parenthesis is 400 naming the position")
                        .given(fourPosts())
                        .when(list("posts", "filter", "(views > 1").expect(400).has("position")),
                Scenario.named("filter with an unterminated string is 400")
                        .given(fourPosts())
                        .when(list("posts", "filter", "title = 'abc").expect(400).present("/data/filter")),
                Scenario.named("malformed seed JSON filter is 400")
                        .given(fourPosts())
                        .when(list("posts", "filter", "{\"status\":").expect(400).present("/data/filter")),
                Scenario.named("filter by an unknown field of a schema collection is 400")
                        .given(fourPosts())
                        .when(list("posts", "filter", "nope = 1").expect(400).present("/data/filter")),
                Scenario.named("filter by an unknown field of a schemaless collection matches nothing")
                        .given(notes(2))
                        .when(list("notes", "filter", "nope = 1").expect(200).at("/totalItems", 0)),
                Scenario.named("@request.auth.id in a user's filter is 403")
                        .users("alice")
                        .given(fourPosts())
                        .when(list("posts", "filter", "@request.auth.id != ''").as("alice").expect(403)),
                Scenario.named("@request.auth.id in a superuser's filter is bound to the superuser")
                        .users("alice")
                        .given(create("notes", "{'t':'mine'}"), create("notes", "{'t':'hers'}").as("alice"))
                        .when(list("notes", "filter", "owner_id = @request.auth.id").expect(200).at("/totalItems", 1)
                                .at("/items/0/id", "{id1}"))
                        .then(list("notes", "filter", "@request.auth.collectionName = '_superusers' && t = 'hers'")
                                        .at("/totalItems", 1).at("/items/0/id", "{id2}"),
                                list("notes", "filter", "@request.auth.collectionName = 'users' || t = 'mine'")
                                        .at("/totalItems", 1).at("/items/0/id", "{id1}")),
                Scenario.named("@collection reference in a user's filter is 403")
                        .users("alice")
                        .given(fourPosts())
                        .when(list("posts", "filter", "@collection.posts.views > 1").as("alice").expect(403)),
                Scenario.named("@request.auth.id in a seed JSON filter key is refused")
                        .given(fourPosts())
                        .when(list("posts", "filter", "{\"@request.auth.id\":\"x\"}").expect(400)),
                Scenario.named("fields=id,title keeps only those keys in every item")
                        .given(fourPosts())
                        .when(list("posts", "fields", "id,title", "sort", "views").expect(200).at("/totalItems", 4)
                                .at("/items/0/title", "abc1").present("/items/0/id").missing("/items/0/views")
                                .missing("/items/0/collectionId").missing("/items/0/created").missing("/items/3/status")
                                .size("/items/0", 2).size("/items/3", 2)),
                Scenario.named("fields=* keeps everything")
                        .given(notes(1))
                        .when(list("notes", "fields", "*").expect(200).present("/items/0/collectionId").present("/items/0/n")),
                Scenario.named("skipTotal=1 reports -1 totals and still the items")
                        .given(notes(3))
                        .when(list("notes", "skipTotal", "1", "perPage", "2").expect(200).at("/totalItems", -1)
                                .at("/totalPages", -1).size("/items", 2)),
                // timestamps have millisecond resolution, so the update may share its millisecond with the last
                // create; -_version breaks that tie the same way the later write would
                Scenario.named("sort=-updated puts the last updated record first")
                        .given(notes(3))
                        .given(Step.patch(Fixtures.record("notes", "{id1}"), "{'title':'changed'}"))
                        .when(list("notes", "sort", "-updated,-_version").expect(200).at("/items/0/id", "{id1}")
                                .at("/totalItems", 3)),
                Scenario.named("sort=-id reverses the natural order")
                        .given(notes(3))
                        .when(list("notes", "sort", "-id").expect(200).at("/items/0/id", "{id3}").at("/items/2/id", "{id1}")),
                Scenario.named("more than 8 sort keys is 400")
                        .given(notes(1))
                        .when(list("notes", "sort", "a,b,c,d,e,f,g,h,i").expect(400).present("/data/sort")),
                Scenario.named("filter by _version")
                        .given(notes(2))
                        .given(Step.patch(Fixtures.record("notes", "{id2}"), "{'title':'changed'}"))
                        .when(list("notes", "filter", "_version = 2").expect(200).at("/totalItems", 1).at("/items/0/id", "{id2}")),
                Scenario.named("filter with @now")
                        .given(create("notes", "{'due':'2000-01-01T00:00:00.000Z'}"),
                                create("notes", "{'due':'2999-01-01T00:00:00.000Z'}"))
                        .when(list("notes", "filter", "created <= @now && due <= @now").expect(200).at("/totalItems", 1)
                                .at("/items/0/id", "{id1}"))
                        .then(list("notes", "filter", "updated <= @now && due > @now").at("/totalItems", 1)
                                .at("/items/0/id", "{id2}")),
                Scenario.named("filter ?= on an array and a nested JSON path")
                        .given(create("notes", "{'tags':['a','b'],'meta':{'a':1}}"), create("notes", "{'tags':['c'],'meta':{'a':2}}"),
                                create("notes", "{'tags':['b'],'meta':{'a':3}}"))
                        .when(list("notes", "filter", "tags ?= 'a' || meta.a = 2", "sort", "-meta.a").expect(200)
                                .at("/totalItems", 2).at("/items/0/id", "{id2}").at("/items/1/id", "{id1}"))
                        .then(list("notes", "filter", "tags ?= 'b'", "sort", "meta.a").at("/totalItems", 2)
                                        .at("/items/0/id", "{id1}").at("/items/1/id", "{id3}"),
                                list("notes", "filter", "meta.a > 1 && tags ?!= 'c'").at("/totalItems", 1)
                                        .at("/items/0/id", "{id3}")),
                Scenario.named("@request.query in a user's filter is 403")
                        .users("alice")
                        .given(notes(1))
                        .when(list("notes", "filter", "title = @request.query.x").as("alice").expect(403)),
                Scenario.named("a number out of range in a filter is 400")
                        .given(notes(1))
                        .when(list("notes", "filter", "n > 1e400").expect(400).present("/data/filter")),
                Scenario.named("records can be listed through the collection id")
                        .given(collection(POSTS), create("posts", post("abc1", 5, "draft")))
                        .when(Step.get("/api/collections/{cid}/records").expect(200).at("/totalItems", 1)
                                .at("/items/0/collectionName", "posts")),
                Scenario.named("skipTotal=true with a filter reports -1 totals")
                        .given(fourPosts())
                        .when(list("posts", "skipTotal", "true", "filter", "views > 10").expect(200)
                                .at("/totalItems", -1).at("/totalPages", -1).size("/items", 3)));
    }
}
