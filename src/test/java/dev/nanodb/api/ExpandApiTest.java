package dev.nanodb.api;

import static dev.nanodb.api.BatchOps.pb;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Fixtures.records;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static dev.nanodb.api.Step.url;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code expand} on every answer that carries records, on both backends. The world: authors {@code {id1}} (Ann)
 * and {@code {id2}} (Bob), each with a hidden {@code secret}; tags {@code {id3}} (red) and {@code {id4}} (blue);
 * post {@code {id5}} by Ann tagged blue then red; comments {@code {id6}} and {@code {id7}} on it. Every
 * collection's rules are open unless a scenario says otherwise.
 */
class ExpandApiTest {
    private static final String POST = record("posts", "{id5}");

    @TestFactory
    Stream<DynamicTest> expand() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    /** The world above; {@code authorsView} is the authors' view rule as JSON ({@code "''"}, {@code "null"}, …). */
    static Step[] world(String authorsView) {
        String open = "'listRule':'','viewRule':'','createRule':'','updateRule':''";
        return new Step[] {
            collection("{'name':'authors','fields':[{'name':'name','type':'text'},{'name':'owner','type':'text'},"
                    + "{'name':'secret','type':'text','hidden':true}],'listRule':'','viewRule':" + authorsView + ",'createRule':''}"),
            collection("{'name':'tags','fields':[{'name':'label','type':'text'}]," + open + "}"),
            collection("{'name':'posts','fields':[{'name':'title','type':'text'},"
                    + "{'name':'author','type':'relation','collectionId':'authors','maxSelect':1},"
                    + "{'name':'tags','type':'relation','collectionId':'tags','maxSelect':10}]," + open + "}"),
            collection("{'name':'comments','fields':[{'name':'body','type':'text'},"
                    + "{'name':'post','type':'relation','collectionId':'posts','maxSelect':1}]," + open + "}"),
            create("authors", "{'name':'Ann','owner':'{alice}','secret':'SECRET-ONE'}"),
            create("authors", "{'name':'Bob','owner':'{bob}','secret':'SECRET-TWO'}"),
            create("tags", "{'label':'red'}"),
            create("tags", "{'label':'blue'}"),
            create("posts", "{'title':'p','author':'{id1}','tags':['{id4}','{id3}']}"),
            create("comments", "{'body':'c1','post':'{id5}'}"),
            create("comments", "{'body':'c2','post':'{id5}'}")};
    }

    private static Scenario in(String name) {
        return Scenario.named(name).users("alice", "bob").given(world("''"));
    }

    static List<Scenario> scenarios() {
        return List.of(
                in("view: a single relation expands to an object without hidden fields")
                        .when(get(POST + "?expand=author").expect(200).at("/expand/author/id", "{id1}")
                                .at("/expand/author/name", "Ann").at("/expand/author/collectionName", "authors")
                                .at("/author", "{id1}").lacks("SECRET-ONE", "secret")),
                in("list: a multi relation expands to an array in stored order")
                        .when(list("posts", "expand", "author,tags").expect(200).at("/items/0/expand/author/name", "Ann")
                                .size("/items/0/expand/tags", 2).at("/items/0/expand/tags/0/label", "blue")
                                .at("/items/0/expand/tags/1/label", "red")),
                in("nested: comments expand post.author, each level with its own expand")
                        .when(list("comments", "expand", "post.author,post.tags", "sort", "body").expect(200)
                                .at("/items/0/expand/post/id", "{id5}").at("/items/0/expand/post/expand/author/name", "Ann")
                                .size("/items/1/expand/post/expand/tags", 2)),
                in("back relation: comments_via_post is an array of the comments")
                        .when(get(POST + "?expand=comments_via_post").expect(200).size("/expand/comments_via_post", 2)
                                .at("/expand/comments_via_post/0/body", "c1").at("/expand/comments_via_post/1/body", "c2")),
                in("back relation nested back to the post and its author")
                        .when(get(POST + "?expand=comments_via_post.post.author").expect(200)
                                .at("/expand/comments_via_post/0/expand/post/expand/author/name", "Ann")),
                in("unknown paths are ignored; a failing nested segment drops its whole path")
                        .when(get(POST + "?expand=bogus,title,author.bogus,%20tags%20.").expect(200)
                                .missing("/expand/author").size("/expand/tags", 2).missing("/expand/bogus")),
                in("an empty relation gives an empty expand object")
                        .given(create("posts", "{'title':'lonely'}"))
                        .when(get(record("posts", "{id}") + "?expand=author").expect(200).at("/expand", "{}".replace('\'', '"'))),
                Scenario.named("owner view rule: alice sees her author expanded, bob does not")
                        .users("alice", "bob").given(world("'owner = @request.auth.id'"))
                        .when(get(POST + "?expand=author").as("alice").expect(200).at("/expand/author/name", "Ann"))
                        .then(get(POST + "?expand=author").as("bob").expect(200).missing("/expand/author").lacks("Ann"),
                                list("posts", "expand", "author").as("anon").expect(200).missing("/items/0/expand/author")),
                Scenario.named("locked target view rule: only the superuser gets the expansion")
                        .users("alice").given(world("null"))
                        .when(get(POST + "?expand=author,tags").as("alice").expect(200).missing("/expand/author")
                                .size("/expand/tags", 2).lacks("Ann"))
                        .then(get(POST + "?expand=author").expect(200).at("/expand/author/name", "Ann").lacks("SECRET-ONE", "secret")),
                in("fields picks inside expand")
                        .when(get(POST + "?expand=author,tags&fields=id,expand.author.name,expand.tags.label").expect(200)
                                .at("/id", "{id5}").missing("/title").at("/expand/author/name", "Ann")
                                .missing("/expand/author/id").at("/expand/tags/0/label", "blue").missing("/expand/tags/0/id")),
                in("fields * keeps the root and trims expand; expand.author.* keeps the author whole")
                        .when(get(POST + "?expand=author,tags&fields=*,expand.author.*").expect(200).at("/title", "p")
                                .at("/expand/author/name", "Ann").at("/expand/author/id", "{id1}").missing("/expand/tags")),
                in("fields without expand drops the expansion")
                        .when(get(POST + "?expand=author&fields=id,title").expect(200).missing("/expand").at("/title", "p")),
                in("create and update answers are expanded")
                        .when(post(records("posts") + "?expand=author", "{'title':'n','author':'{id2}'}").expect(200)
                                .at("/expand/author/name", "Bob"))
                        .then(patch(POST + "?expand=tags&fields=id,expand.tags.label", "{'tags':['{id3}']}").expect(200)
                                .size("/expand/tags", 1).at("/expand/tags/0/label", "red")),
                in("batch answers are expanded per operation, as committed (after the whole batch)")
                        .when(post("/api/batch", BatchOps.requests(
                                pb("POST", records("comments") + "?expand=post.author", "{'body':'c3','post':'{id5}'}"),
                                pb("PATCH", POST + "?expand=author", "{'author':'{id2}'}"))).expect(200)
                                .at("/0/body/expand/post/expand/author/name", "Bob").at("/1/body/expand/author/name", "Bob")),
                in("a path deeper than 6 levels is cut at 6, not refused")
                        .when(get(url(records("posts"), "expand", deepPath())).expect(200)
                                .at("/items/0/expand/comments_via_post/0/expand/post/expand/comments_via_post/0/expand/post/id", "{id5}")
                                .present("/items/0/expand/comments_via_post/0/expand/post/expand/comments_via_post/0/expand/post"
                                        + "/expand/comments_via_post/0/expand/post")
                                .missing("/items/0/expand/comments_via_post/0/expand/post/expand/comments_via_post/0/expand/post"
                                        + "/expand/comments_via_post/0/expand/post/expand"))
        );
    }

    /** Seven levels of back and forth between posts and comments: the seventh is ignored. */
    private static String deepPath() {
        return "comments_via_post.post.comments_via_post.post.comments_via_post.post.comments_via_post";
    }
}
