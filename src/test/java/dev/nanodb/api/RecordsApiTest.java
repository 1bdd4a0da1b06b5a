package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.ID_RE;
import static dev.nanodb.api.Fixtures.POSTS;
import static dev.nanodb.api.Fixtures.TIME_RE;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Fixtures.records;
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

/** The records routes: create, view, update, delete, their versions, ids and error statuses. */
class RecordsApiTest {
    private static final String NOTES = records("notes");
    private static final String NOTE = record("notes", "{id}");
    private static final String MISSING_ID = "zzzzzzzzzzzzzzz";

    @TestFactory
    Stream<DynamicTest> recordRoutes() {
        return ScenarioRunner.tests(scenarios());
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("first POST creates the collection schemaless and the record at version 1")
                        .when(create("notes", "{'title':'hello','n':1,'nested':{'a':[1,2]}}").expect(200)
                                .at("/collectionName", "notes").at("/_version", 1).at("/title", "hello").at("/n", 1)
                                .at("/nested", "{'a':[1,2]}".replace('\'', '"')).matches("/id", ID_RE)
                                .matches("/collectionId", ".+").matches("/created", TIME_RE).matches("/updated", TIME_RE))
                        .then(get("/api/collections/notes").expect(200).at("/schemaless", true).at("/type", "base"),
                                list("notes").expect(200).at("/totalItems", 1).at("/items/0/id", "{id}")),
                Scenario.named("GET view returns the stored record")
                        .given(create("notes", "{'title':'a','done':false}"))
                        .when(get(NOTE).expect(200).at("/id", "{id}").at("/title", "a").at("/done", false)
                                .at("/_version", 1).at("/collectionName", "notes")),
                Scenario.named("GET list of an unknown collection is 404")
                        .when(get(records("nothere")).expect(404)),
                Scenario.named("GET view in an unknown collection is 404")
                        .when(get(record("nothere", MISSING_ID)).expect(404)),
                Scenario.named("GET an unknown record is 404")
                        .given(create("notes", "{'title':'a'}"))
                        .when(get(record("notes", MISSING_ID)).expect(404)),
                Scenario.named("GET a record through another collection is 404")
                        .given(create("other", "{'x':1}"), create("notes", "{'title':'a'}"))
                        .when(get(record("other", "{id2}")).expect(404)),
                Scenario.named("PATCH an unknown record is 404")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(record("notes", MISSING_ID), "{'title':'b'}").expect(404))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("PATCH in an unknown collection is 404 and creates nothing")
                        .when(patch(record("nothere", MISSING_ID), "{'title':'b'}").expect(404))
                        .then(get(records("nothere")).expect(404)),
                Scenario.named("DELETE an unknown record is 404")
                        .given(create("notes", "{'title':'a'}"))
                        .when(delete(record("notes", MISSING_ID)).expect(404))
                        .then(list("notes").at("/totalItems", 1)),
                Scenario.named("DELETE in an unknown collection is 404")
                        .when(delete(record("nothere", MISSING_ID)).expect(404)),
                Scenario.named("POST malformed JSON is 400 and creates nothing")
                        .when(post(NOTES, "{'title': ").expect(400))
                        .then(get(records("notes")).expect(404)),
                Scenario.named("POST a JSON array is 400")
                        .when(post(NOTES, "[{'title':'a'}]").expect(400))
                        .then(get(records("notes")).expect(404)),
                Scenario.named("POST an empty body is 400")
                        .when(post(NOTES, "").expect(400)),
                Scenario.named("POST without any body is 400")
                        .when(Step.request("POST", NOTES, null).expect(400)),
                Scenario.named("POST a JSON string is 400")
                        .when(post(NOTES, "'just text'").expect(400)),
                Scenario.named("POST a JSON number is 400")
                        .when(post(NOTES, "42").expect(400)),
                Scenario.named("POST JSON null is 400")
                        .when(post(NOTES, "null").expect(400)),
                Scenario.named("POST with trailing garbage after the object is 400")
                        .when(post(NOTES, "{'a':1} x").expect(400)),
                Scenario.named("POST with a duplicate key is 400")
                        .when(post(NOTES, "{'a':1,'a':2}").expect(400)),
                Scenario.named("PATCH malformed JSON is 400 and leaves the record unchanged")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "{'title':").expect(400))
                        .then(get(NOTE).at("/title", "a").at("/_version", 1)),
                Scenario.named("PATCH a JSON array is 400")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "[1,2]").expect(400))
                        .then(get(NOTE).at("/_version", 1)),
                Scenario.named("PATCH an empty body is 400")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "").expect(400)),
                Scenario.named("collection name with a dash in the path is 400")
                        .when(get(records("bad-name")).expect(400).present("/data/collection")),
                Scenario.named("POST to a collection name with a dash is 400 and creates nothing")
                        .when(create("bad-name", "{'a':1}").expect(400))
                        .then(get("/api/collections").lacks("bad-name")),
                Scenario.named("collection name '..%2F' in the path is 400")
                        .when(get(records("..%2F")).expect(400)),
                Scenario.named("POST to collection '..%2F' is 400")
                        .when(create("..%2F", "{'a':1}").expect(400)),
                Scenario.named("collection name with a NUL byte is 400")
                        .when(get(records("a%00b")).expect(400)),
                Scenario.named("POST to a collection name with a NUL byte is 400")
                        .when(create("a%00b", "{'a':1}").expect(400)),
                Scenario.named("auto-creating a collection whose name starts with _ is 400")
                        .when(create("_private", "{'a':1}").expect(400).present("/data/collection"))
                        .then(get("/api/collections/_private").expect(404)),
                Scenario.named("_version is 1 on create and 2 after PATCH; updated moves, created stays")
                        .given(create("notes", "{'title':'a','keep':'k'}").at("/_version", 1))
                        .when(patch(NOTE, "{'title':'b'}").expect(200).at("/_version", 2).at("/title", "b")
                                .at("/keep", "k").at("/id", "{id}").matches("/updated", TIME_RE))
                        .then(get(NOTE).at("/_version", 2).at("/title", "b").at("/keep", "k"),
                                patch(NOTE, "{'title':'c'}").at("/_version", 3)),
                Scenario.named("PATCH with the current _expectedVersion succeeds")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "{'title':'b','_expectedVersion':1}").expect(200).at("/_version", 2)
                                .lacks("_expectedVersion"))
                        .then(get(NOTE).at("/title", "b").lacks("_expectedVersion")),
                Scenario.named("PATCH with a stale _expectedVersion is 409 and changes nothing")
                        .given(create("notes", "{'title':'a'}"), patch(NOTE, "{'title':'b'}"))
                        .when(patch(NOTE, "{'title':'c','_expectedVersion':1}").expect(409).present("/data/_version"))
                        .then(get(NOTE).at("/title", "b").at("/_version", 2)),
                Scenario.named("PATCH with a future _expectedVersion is 409")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "{'title':'c','_expectedVersion':5}").expect(409))
                        .then(get(NOTE).at("/title", "a").at("/_version", 1)),
                Scenario.named("PATCH with a non-numeric _expectedVersion is 400")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "{'title':'c','_expectedVersion':'abc'}").expect(400)
                                .present("/data/_expectedVersion"))
                        .then(get(NOTE).at("/title", "a").at("/_version", 1)),
                Scenario.named("DELETE with a stale ?version is 409 and the record stays")
                        .given(create("notes", "{'title':'a'}"), patch(NOTE, "{'title':'b'}"))
                        .when(delete(NOTE + "?version=1").expect(409))
                        .then(get(NOTE).expect(200).at("/title", "b").at("/_version", 2),
                                list("notes").at("/totalItems", 1)),
                Scenario.named("DELETE with the current ?version succeeds")
                        .given(create("notes", "{'title':'a'}"), patch(NOTE, "{'title':'b'}"))
                        .when(delete(NOTE + "?version=2").expect(200).at("/success", true).at("/id", "{id}"))
                        .then(get(NOTE).expect(404)),
                Scenario.named("DELETE with a non-numeric ?version is 400 and the record stays")
                        .given(create("notes", "{'title':'a'}"))
                        .when(delete(NOTE + "?version=abc").expect(400))
                        .then(get(NOTE).expect(200)),
                Scenario.named("DELETE answers {success:true,id}; the record is gone afterwards")
                        .given(create("notes", "{'title':'a'}"), create("notes", "{'title':'b'}"))
                        .when(delete(record("notes", "{id1}")).expect(200).at("/success", true).at("/id", "{id1}"))
                        .then(get(record("notes", "{id1}")).expect(404), delete(record("notes", "{id1}")).expect(404),
                                list("notes").at("/totalItems", 1).at("/items/0/id", "{id2}")),
                Scenario.named("an id given by the client is used")
                        .when(create("notes", "{'id':'abcdefghij12345','title':'mine'}").expect(200)
                                .at("/id", "abcdefghij12345"))
                        .then(get(record("notes", "abcdefghij12345")).expect(200).at("/title", "mine")),
                Scenario.named("an id with capitals is 400 with data.id")
                        .when(create("notes", "{'id':'ABCDEFGHIJ12345','title':'x'}").expect(400).present("/data/id"))
                        .then(list("notes").at("/totalItems", 0)),
                Scenario.named("an id of 14 characters is 400 with data.id")
                        .when(create("notes", "{'id':'abcdefghij1234','title':'x'}").expect(400).present("/data/id")),
                Scenario.named("an id of 16 characters is 400 with data.id")
                        .when(create("notes", "{'id':'abcdefghij123456','title':'x'}").expect(400).present("/data/id")),
                Scenario.named("a numeric id is 400 with data.id")
                        .when(create("notes", "{'id':123456789012345,'title':'x'}").expect(400).present("/data/id")),
                Scenario.named("an id with path characters is 400 with data.id")
                        .when(create("notes", "{'id':'../../etc/passw','title':'x'}").expect(400).present("/data/id")),
                Scenario.named("a duplicate id is 409 and the first record is unchanged")
                        .given(create("notes", "{'id':'abcdefghij12345','title':'first'}"))
                        .when(create("notes", "{'id':'abcdefghij12345','title':'second'}").expect(409))
                        .then(get(record("notes", "abcdefghij12345")).at("/title", "first").at("/_version", 1),
                                list("notes").at("/totalItems", 1)),
                Scenario.named("the same id may exist in two collections")
                        .given(create("notes", "{'id':'abcdefghij12345','title':'n'}"))
                        .when(create("other", "{'id':'abcdefghij12345','title':'o'}").expect(200))
                        .then(get(record("notes", "abcdefghij12345")).at("/title", "n")),
                Scenario.named("system fields in a create body are ignored")
                        .when(create("notes", "{'title':'a','created':'2000-01-01T00:00:00.000Z','_version':7,"
                                + "'collectionName':'evil','updated':'2000-01-01T00:00:00.000Z'}").expect(200)
                                .at("/_version", 1).at("/collectionName", "notes").lacks("2000-01-01")),
                Scenario.named("PATCH cannot change id (400), created or _version (ignored)")
                        .given(create("notes", "{'title':'a'}"))
                        .when(patch(NOTE, "{'id':'" + MISSING_ID + "'}").expect(400).at("/data/id/code", "validation_pk_change"))
                        .then(patch(NOTE, "{'id':'{id}','_version':99,'created':'2000-01-01T00:00:00.000Z'}")
                                        .expect(200).at("/id", "{id}").at("/_version", 2).lacks("2000-01-01"),
                                get(record("notes", MISSING_ID)).expect(404), get(NOTE).at("/_version", 2)),
                Scenario.named("a field name with a dash in a schemaless collection is 400")
                        .when(create("notes", "{'bad-key':1}").expect(400).present("/data/bad-key")),
                Scenario.named("fields=id,title on view keeps only those keys")
                        .given(create("notes", "{'title':'a','other':1}"))
                        .when(get(NOTE + "?fields=id,title").expect(200).at("/id", "{id}").at("/title", "a")
                                .missing("/other").missing("/collectionId").missing("/_version")),
                Scenario.named("fields on create keeps only those keys")
                        .when(post(NOTES + "?fields=id", "{'title':'a'}").expect(200).present("/id").missing("/title")),
                Scenario.named("PATCH on a schema collection validates the merged record")
                        .given(collection(POSTS), create("posts", "{'title':'t','views':1}"))
                        .when(patch(record("posts", "{id}"), "{'title':''}").expect(400).at("/data/title/code", "validation_required"))
                        .then(get(record("posts", "{id}")).at("/title", "t").at("/_version", 1)),
                // has("'x':null") and not only at("/x", "null"): the text of the string "null" is "null" too
                Scenario.named("PATCH may set a field to null in a schemaless collection")
                        .given(create("notes", "{'title':'a','x':1}"), create("notes", "{'title':'b','x':2}"))
                        .when(patch(record("notes", "{id1}"), "{'x':null}").expect(200).at("/_version", 2)
                                .at("/x", "null").has("'x':null"))
                        .then(get(record("notes", "{id1}")).at("/title", "a").at("/_version", 2).at("/x", "null")
                                        .has("'x':null"),
                                list("notes", "filter", "x = null").at("/totalItems", 1).at("/items/0/id", "{id1}")
                                        .at("/items/0/x", "null").has("'x':null"),
                                list("notes", "sort", "x").at("/totalItems", 2).at("/items/0/id", "{id1}")
                                        .at("/items/0/x", "null").at("/items/1/x", 2),
                                get(record("notes", "{id2}")).at("/x", 2)));
    }
}
