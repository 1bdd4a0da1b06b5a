package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code file} field type as a collection declares it (PocketBase's options), and what a JSON write may do with
 * one: name only files the record has. Uploads are the files capability's (issue 15) and not in this test.
 */
class FileFieldApiTest {
    private static final String DOCS = "{'name':'docs','listRule':'','viewRule':'','createRule':'','updateRule':'','fields':["
            + "{'name':'title','type':'text'},"
            + "{'name':'doc','type':'file','maxSize':1048576,'mimeTypes':['image/png','application/pdf'],"
            + "'thumbs':['100x100','0x300f'],'protected':true},"
            + "{'name':'files','type':'file','maxSelect':5}]}";

    @TestFactory
    Stream<DynamicTest> fileFields() {
        return ScenarioRunner.tests(Backends.both(List.of(
                Scenario.named("a file field keeps PocketBase's options; defaults are PocketBase's")
                        .when(collection(DOCS).expect(200))
                        .then(get("/api/collections/docs").expect(200)
                                .at("/fields/1/type", "file").at("/fields/1/maxSelect", 1).at("/fields/1/maxSize", 1048576)
                                .at("/fields/1/mimeTypes/1", "application/pdf").at("/fields/1/thumbs/1", "0x300f")
                                .at("/fields/1/protected", true)
                                .at("/fields/2/maxSelect", 5).at("/fields/2/maxSize", 0).size("/fields/2/mimeTypes", 0)
                                .size("/fields/2/thumbs", 0).at("/fields/2/protected", false)),
                Scenario.named("users has PocketBase's default name and avatar fields")
                        .when(get("/api/collections/users").expect(200)
                                .has("\"name\":\"avatar\",\"type\":\"file\"", "\"image/svg+xml\",\"image/gif\",\"image/webp\"]",
                                        "\"name\":\"name\",\"type\":\"text\"")),
                Scenario.named("bad file options are 400 on the option")
                        .when(collection("{'name':'x','fields':[{'name':'f','type':'file','maxSize':-1}]}").expect(400)
                                .has("fields.0.maxSize"))
                        .then(collection("{'name':'x','fields':[{'name':'f','type':'file','thumbs':['big']}]}").expect(400)
                                        .has("fields.0.thumbs"),
                                collection("{'name':'x','fields':[{'name':'f','type':'file','thumbs':['0x0']}]}").expect(400)
                                        .has("fields.0.thumbs"),
                                collection("{'name':'x','fields':[{'name':'f','type':'file','mimeTypes':['png']}]}").expect(400)
                                        .has("fields.0.mimeTypes"),
                                collection("{'name':'x','fields':[{'name':'f','type':'file','default':'a.png'}]}").expect(400)
                                        .has("fields.0.default"),
                                collection("{'name':'x','fields':[{'name':'f','type':'file','protected':'yes'}]}").expect(400)
                                        .has("fields.0.protected")),
                Scenario.named("a JSON write cannot name a file the record does not have")
                        .given(collection(DOCS))
                        .when(post("/api/collections/docs/records", "{'title':'a','doc':'other_abcdefghij.png'}").as("anon")
                                .expect(400).at("/data/doc/code", "validation_invalid_file"))
                        .then(post("/api/collections/docs/records", "{'title':'b','files':['x_abcdefghij.txt']}").as("anon")
                                        .expect(400).at("/data/files/code", "validation_invalid_file"),
                                post("/api/collections/docs/records", "{'title':'c','doc':'../../etc/passwd'}").as("anon")
                                        .expect(400).at("/data/doc/code", "validation_invalid_file"),
                                create("docs", "{'title':'d','doc':'','files':[]}"),
                                get(record("docs", "{id1}")).as("anon").expect(200).at("/doc", "").size("/files", 0),
                                patch(record("docs", "{id1}"), "{'files':['x_abcdefghij.txt']}").as("anon").expect(400)
                                        .at("/data/files/code", "validation_invalid_file"),
                                patch(record("docs", "{id1}"), "{'title':'e','doc':null}").as("anon").expect(200)
                                        .at("/title", "e")))));
    }
}
