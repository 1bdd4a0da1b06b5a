package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.request;
import static dev.nanodb.api.Step.url;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The collections API beyond CRUD (issue 17), on both backends: the list's filter, sort, paging and fields;
 * truncate with PocketBase's relation semantics; import (atomic, deleteMissing never deleting a system collection);
 * scaffolds; view collections refused.
 */
class CollectionsMetaApiTest {
    private static final String C = "/api/collections";
    private static final String AUTHORS = "{'name':'authors','fields':[{'name':'name','type':'text'}]}";

    @TestFactory
    Stream<DynamicTest> collectionsMeta() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step importing(String body) {
        return request("PUT", C + "/import", body);
    }

    /** {@code books} whose {@code author} points at authors, with the given relation options. */
    private static String books(String options) {
        return "{'name':'books','fields':[{'name':'title','type':'text'},"
                + "{'name':'author','type':'relation','collectionId':'authors','maxSelect':1" + options + "}]}";
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("list collections filtered, sorted, paged and picked")
                        .given(collection(POSTS), collection("{'name':'postcards','type':'auth'}"))
                        .when(get(url(C, "filter", "name ~ 'post' && type = 'auth'")).expect(200)
                                .at("/totalItems", 1).at("/items/0/name", "postcards").at("/page", 1).at("/perPage", 30))
                        .then(get(url(C, "filter", "name ~ 'post'", "sort", "-name")).expect(200).at("/totalItems", 2)
                                        .at("/items/0/name", "posts").at("/items/1/name", "postcards"),
                                get(url(C, "sort", "name", "perPage", "2", "page", "2")).expect(200).at("/page", 2)
                                        .at("/perPage", 2).at("/totalItems", 9).at("/totalPages", 5).size("/items", 2)
                                        .at("/items/0/name", "_otps").at("/items/1/name", "_params"),
                                get(url(C, "sort", "-created,name", "filter", "system = true")).expect(200).at("/totalItems", 7),
                                get(url(C, "filter", "name = 'posts'", "fields", "id,name")).expect(200)
                                        .at("/items/0/name", "posts").present("/items/0/id").missing("/items/0/type")
                                        .missing("/items/0/fields"),
                                get(url(C, "page", "9")).expect(200).size("/items", 0).at("/totalItems", 9)),
                Scenario.named("list collections: unknown fields and bad syntax are 400 naming the parameter")
                        .when(get(url(C, "filter", "colour = 'red'")).expect(400).at("/data/filter/code", "validation_unknown_field"))
                        .then(get(url(C, "filter", "name ~")).expect(400).present("/data/filter"),
                                get(url(C, "filter", "@request.auth.id != ''")).expect(400).present("/data/filter"),
                                get(url(C, "sort", "colour")).expect(400).present("/data/sort"),
                                get(url(C, "sort", "-fields")).expect(400).present("/data/sort"),
                                get(url(C, "perPage", "0")).expect(400).present("/data/perPage")),
                Scenario.named("scaffolds in PocketBase's shape, as NanoDB creates each type")
                        .when(get(C + "/meta/scaffolds").expect(200).at("/base/type", "base").at("/base/id", "")
                                .at("/base/name", "").at("/base/fields/0/name", "id").at("/base/fields/0/primaryKey", true)
                                .at("/base/fields/1/name", "created").at("/base/fields/2/name", "updated")
                                .at("/auth/type", "auth").at("/auth/fields/1/name", "email")
                                .at("/auth/passwordAuth/enabled", true).at("/view/type", "view").size("/view/fields", 0))
                        .then(collection("{'name':'fromscaffold','type':'base','fields':[{'name':'id','type':'text','system':true,"
                                + "'primaryKey':true},{'name':'created','type':'autodate','system':true},"
                                + "{'name':'updated','type':'autodate','system':true},{'name':'title','type':'text'}]}")
                                .expect(200).size("/fields", 1).at("/fields/0/name", "title")),
                Scenario.named("the OAuth2 providers are listed by name, display name and logo, for superusers only")
                        .users("alice")
                        .when(get(C + "/meta/oauth2-providers").expect(200).at("/0/name", "oidc").at("/0/displayName", "OIDC")
                                .at("/0/logo", "").has("'name':'google','displayName':'Google'").lacks("authURL", "tokenURL", "scopes", "pkce"))
                        .then(get(C + "/meta/oauth2-providers").as("alice").expect(403),
                                get(C + "/meta/oauth2-providers").as("anon").expect(401)),
                Scenario.named("a view collection is 400 saying views are not supported")
                        .when(collection("{'name':'v','type':'view','viewQuery':'select id from posts'}").expect(400)
                                .at("/data/type/code", "validation_view_unsupported").has("not supported"))
                        .then(get(C + "/v").expect(404)),
                Scenario.named("import creates, updates (keeping unlisted fields) and keeps unlisted collections")
                        .given(collection(POSTS), create("posts", "{'title':'a','views':1}"), collection("{'name':'other'}"))
                        .when(importing("{'collections':[{'name':'posts','listRule':'views > 0',"
                                + "'fields':[{'name':'extra','type':'text'}]},"
                                + "{'id':'pbc_tags000001','name':'tags','fields':[{'name':'label','type':'text'}]}]}").expect(204))
                        .then(get(C + "/posts").at("/listRule", "views > 0").size("/fields", 6).at("/fields/0/name", "extra")
                                        .at("/fields/1/name", "title"),
                                get(C + "/tags").expect(200).at("/id", "pbc_tags000001").at("/fields/0/name", "label"),
                                get(C + "/other").expect(200),
                                list("posts").at("/totalItems", 1).at("/items/0/title", "a")),
                Scenario.named("import updates an auth collection, keeping its auth and unlisted fields")
                        .when(importing("{'collections':[{'name':'users','listRule':'id = @request.auth.id',"
                                + "'fields':[{'name':'nickname','type':'text'}]}]}").expect(204))
                        .then(get(C + "/users").at("/listRule", "id = @request.auth.id").at("/fields/0/name", "email")
                                        .has("'name':'nickname'", "'name':'avatar'", "'name':'tokenKey'"),
                                importing("{'collections':[{'name':'users','viewRule':''}]}").expect(204),
                                get(C + "/users").at("/viewRule", "").has("'name':'nickname'")),
                Scenario.named("import with deleteMissing deletes unlisted collections, never a system one")
                        .given(collection(POSTS), collection("{'name':'other'}"), create("other", "{}"))
                        .when(importing("{'collections':[{'name':'posts'}],'deleteMissing':true}").expect(204))
                        .then(get(C + "/other").expect(404), get(C + "/posts").expect(200).size("/fields", 0),
                                get(C + "/users").expect(200), get(C + "/_superusers").expect(200),
                                get(C + "/_rate_limits").expect(200), get(C).at("/totalItems", 8)),
                Scenario.named("an invalid import is 400 per collection and changes nothing")
                        .given(collection(POSTS), collection("{'name':'other'}"))
                        .when(importing("{'collections':[{'name':'fresh'},{'name':'posts','listRule':'(('},"
                                + "{'name':'bad-name'},{'name':'v','type':'view'}],'deleteMissing':true}").expect(400)
                                .at("/data/collections/code", "validation_collections_import_failure")
                                .present("/data/collections.1.listRule").present("/data/collections.2.name")
                                .at("/data/collections.3.type/code", "validation_view_unsupported"))
                        .then(get(C + "/fresh").expect(404), get(C + "/other").expect(200),
                                get(C + "/posts").at("/listRule", ""),
                                importing("{'collections':[]}").expect(400).present("/data/collections"),
                                importing("{'collections':[{'id':'pbc_users000000','name':'people'}]}").expect(400)
                                        .present("/data/collections.0.name"),
                                importing("{'collections':[{'name':'a'},{'name':'a'}]}").expect(400)
                                        .present("/data/collections.1.name"),
                                get(C + "/a").expect(404)),
                Scenario.named("an import the store refuses part way (unique over duplicates) applies nothing")
                        .given(collection(POSTS.replace(",'unique':true", "")), create("posts", "{'title':'a','slug':'s'}"),
                                create("posts", "{'title':'b','slug':'s'}"), collection("{'name':'other'}"))
                        .when(importing("{'collections':[{'name':'fresh'},{'name':'posts','fields':[{'name':'slug',"
                                + "'type':'text','unique':true}]}],'deleteMissing':false}").expect(409).present("/data/slug"))
                        .then(get(C + "/fresh").expect(404), get(C + "/posts").at("/fields/3/unique", false),
                                list("posts").at("/totalItems", 2)),
                Scenario.named("import of collections that point at each other and a rule through the relation")
                        .when(importing("{'collections':[{'name':'books','listRule':'author.name != @request.auth.id','fields':[{'name':'author',"
                                + "'type':'relation','collectionId':'authors'}]}," + AUTHORS + "]}").expect(204))
                        .then(get(C + "/books").at("/listRule", "author.name != @request.auth.id").matches("/fields/0/collectionId", "pbc_.+"),
                                get(C + "/authors").expect(200),
                                importing("{'collections':[{'name':'books'}],'deleteMissing':true}").expect(400)
                                        .present("/data/collections"),
                                get(C + "/authors").expect(200)),
                Scenario.named("truncate deletes every record; relations cascade or are emptied as a record delete")
                        .given(collection(AUTHORS), collection(books(",'cascadeDelete':true")),
                                collection("{'name':'notes','fields':[{'name':'author','type':'relation','collectionId':'authors'}]}"),
                                create("authors", "{'name':'a1'}"), create("authors", "{'name':'a2'}"),
                                create("books", "{'title':'b1','author':'{id1}'}"), create("books", "{'title':'b2','author':'{id2}'}"),
                                create("notes", "{'author':'{id1}'}"))
                        .when(delete(C + "/authors/truncate").expect(204))
                        .then(list("authors").at("/totalItems", 0), list("books").at("/totalItems", 0),
                                get(record("notes", "{id5}")).expect(200).at("/author", ""),
                                create("authors", "{'name':'a3'}").expect(200), list("authors").at("/totalItems", 1),
                                get("/api/admin/consistency").expect(200).size("/problems", 0)),
                Scenario.named("truncate refused by a required relation is PocketBase's 400 and deletes nothing")
                        .given(collection(AUTHORS), collection(books(",'required':true")),
                                create("authors", "{'name':'a1'}"), create("authors", "{'name':'a2'}"),
                                create("books", "{'title':'b1','author':'{id1}'}"))
                        .when(delete(C + "/authors/truncate").expect(400).has("Failed to truncate collection")
                                .present("/data/books.author"))
                        .then(list("authors").at("/totalItems", 2), list("books").at("/totalItems", 1),
                                delete(C + "/books/truncate").expect(204), delete(C + "/authors/truncate").expect(204),
                                list("authors").at("/totalItems", 0)),
                Scenario.named("truncate of a self-cascading collection removes every record")
                        .given(collection("{'name':'tree','fields':[{'name':'parent','type':'relation','collectionId':'tree',"
                                        + "'cascadeDelete':true}]}"),
                                create("tree", "{}"), create("tree", "{'parent':'{id1}'}"), create("tree", "{'parent':'{id2}'}"),
                                create("tree", "{}"))
                        .when(delete(C + "/tree/truncate").expect(204))
                        .then(list("tree").at("/totalItems", 0)),
                Scenario.named("truncate of an unknown collection is 404, of _superusers 400, of an empty one 204")
                        .when(delete(C + "/nothere/truncate").expect(404))
                        .then(delete(C + "/_superusers/truncate").expect(400), list("_superusers").at("/totalItems", 1),
                                collection("{'name':'empty'}"), delete(C + "/empty/truncate").expect(204)));
    }
}
