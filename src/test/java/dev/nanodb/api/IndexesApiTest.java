package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A collection's {@code indexes} in PocketBase's SQL form, on both backends: composite indexes serve lists and are
 * answered back; an index of one field is that field's flag; a unique composite index refuses a second equal tuple;
 * and every statement NanoDB cannot honour is a 400 naming it ({@code indexes.N}) with nothing saved.
 */
class IndexesApiTest {
    static final String TASKS_FIELDS = "'fields':[{'name':'status','type':'text'},{'name':'owner','type':'text'},"
            + "{'name':'slug','type':'text'},{'name':'rank','type':'number'},{'name':'meta','type':'json'}]";
    static final String OPEN = ",'listRule':'','viewRule':'','createRule':'','updateRule':''";

    static String tasks(String... indexes) {
        return "{'name':'tasks'," + TASKS_FIELDS + OPEN + ",'indexes':['" + String.join("','", indexes) + "']}";
    }

    static Step refused(String index, String pointer) {
        return collection(tasks(index)).expect(400).at("/data/indexes.0/code", "validation_invalid_index")
                .matches("/data/indexes.0/message", pointer);
    }

    @TestFactory
    Stream<DynamicTest> indexes() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("composite and single-field indexes are kept, answered in PocketBase's form, and serve lists")
                        .given(collection(tasks("CREATE INDEX `idx_so` ON `tasks` (`status`, `owner`, `created` DESC)",
                                "create unique index idx_slug on tasks (slug)")).expect(200)
                                .at("/indexes/0", "CREATE INDEX `idx_so` ON `tasks` (`status`, `owner`, `created` DESC)")
                                .at("/indexes/1", "CREATE UNIQUE INDEX `idx_slug` ON `tasks` (`slug`)")
                                .at("/fields/2/unique", true).at("/fields/2/indexed", true).at("/fields/0/indexed", false),
                                create("tasks", "{'status':'open','owner':'u1','slug':'a'}"),
                                create("tasks", "{'status':'open','owner':'u2','slug':'b'}"),
                                create("tasks", "{'status':'open','owner':'u1','slug':'c'}"),
                                create("tasks", "{'status':'done','owner':'u1','slug':'d'}"))
                        .when(list("tasks", "filter", "status = 'open' && owner = 'u1'", "sort", "-created").expect(200)
                                .at("/totalItems", 2).at("/items/0/slug", "c").at("/items/1/slug", "a"))
                        .then(create("tasks", "{'slug':'a'}").expect(409).at("/data/slug/code", "validation_not_unique"),
                                Step.get("/api/collections/tasks").at("/indexes/0",
                                        "CREATE INDEX `idx_so` ON `tasks` (`status`, `owner`, `created` DESC)")),
                Scenario.named("a unique composite index refuses a second equal tuple; an empty value never collides")
                        .given(collection(tasks("CREATE UNIQUE INDEX idx_os ON tasks (owner, slug)")).expect(200),
                                create("tasks", "{'owner':'u1','slug':'a'}"), create("tasks", "{'owner':'u2','slug':'a'}"),
                                create("tasks", "{'owner':'u1','slug':''}"))
                        .when(create("tasks", "{'owner':'u1','slug':'a'}").expect(409).at("/data/owner/code", "validation_not_unique"))
                        .then(create("tasks", "{'owner':'u1','slug':''}").expect(200),
                                patch("/api/collections/tasks/records/{id1}", "{'slug':'b'}").expect(200),
                                create("tasks", "{'owner':'u1','slug':'a'}").expect(200),
                                list("tasks", "filter", "owner = 'u1'").at("/totalItems", 4)),
                Scenario.named("making a composite index unique over duplicates is refused and changes nothing")
                        .given(collection(tasks("CREATE INDEX idx_os ON tasks (owner, slug)")).expect(200),
                                create("tasks", "{'owner':'u1','slug':'a'}"), create("tasks", "{'owner':'u1','slug':'a'}"))
                        .when(patch("/api/collections/tasks", "{'indexes':['CREATE UNIQUE INDEX idx_os ON tasks (owner, slug)']}")
                                .expect(409))
                        .then(Step.get("/api/collections/tasks").at("/indexes/0", "CREATE INDEX `idx_os` ON `tasks` (`owner`, `slug`)"),
                                list("tasks").at("/totalItems", 2)),
                Scenario.named("removing a single-field index through indexes clears the field's flag; a rename rewrites ON")
                        .given(collection(tasks("CREATE UNIQUE INDEX idx_slug ON tasks (slug)")).expect(200).at("/fields/2/unique", true))
                        .when(patch("/api/collections/tasks", "{'indexes':[]}").expect(200).size("/indexes", 0)
                                .at("/fields/2/unique", false).at("/fields/2/indexed", false))
                        .then(patch("/api/collections/tasks", "{'indexes':['CREATE INDEX idx_sr ON tasks (status, rank)']}").expect(200),
                                patch("/api/collections/tasks", "{'name':'todo'}").expect(200)
                                        .at("/indexes/0", "CREATE INDEX `idx_sr` ON `todo` (`status`, `rank`)"),
                                patch("/api/collections/todo", "{'fields':[{'name':'status','type':'text'}]}").expect(200)
                                        .size("/indexes", 0)),
                Scenario.named("a field of a composite index cannot become multi-valued while the index names it")
                        .given(collection("{'name':'tagged','fields':[{'name':'kind','type':'select','values':['a','b'],'maxSelect':1},"
                                + "{'name':'n','type':'number'}],'indexes':['CREATE INDEX idx_kn ON tagged (kind, n)']}").expect(200))
                        .when(patch("/api/collections/tagged", "{'fields':[{'name':'kind','type':'select','values':['a','b'],"
                                + "'maxSelect':2},{'name':'n','type':'number'}]}").expect(400)
                                .at("/data/indexes.0/code", "validation_invalid_index"))
                        .then(Step.get("/api/collections/tagged").at("/fields/0/maxSelect", 1).size("/indexes", 1)),
                Scenario.named("statements NanoDB cannot honour are refused, each naming its entry")
                        .given(collection(tasks("CREATE INDEX ok ON tasks (status, rank)")).expect(200))
                        .when(refused("CREATE INDEX i ON tasks (nope, rank)", ".*Unknown column nope.*"))
                        .then(refused("CREATE INDEX i ON tasks (meta, rank)", ".*single-valued.*"),
                                refused("CREATE INDEX i ON tasks (id, rank)", ".*record key.*"),
                                refused("CREATE INDEX i ON tasks (lower(status))", ".*field name.*"),
                                refused("CREATE INDEX i ON tasks (status COLLATE NOCASE)", ".*COLLATE.*"),
                                refused("CREATE INDEX i ON tasks (status) WHERE rank > 1", ".*WHERE.*"),
                                refused("CREATE INDEX i ON others (status)", ".*on this collection.*"),
                                refused("CREATE INDEX i ON tasks (status, status)", ".*twice.*"),
                                refused("CREATE UNIQUE INDEX i ON tasks (created)", ".*cannot be unique.*"),
                                refused("DROP TABLE tasks", ".*CREATE.*"),
                                collection("{'name':'tasks2'," + TASKS_FIELDS + ",'indexes':['CREATE INDEX a ON tasks2 (status)',"
                                        + "'CREATE INDEX a ON tasks2 (rank)']}").expect(400).matches("/data/indexes.1/message", ".*name.*"),
                                collection("{'name':'tasks3'," + TASKS_FIELDS + ",'indexes':'CREATE INDEX a ON tasks3 (status)'}")
                                        .expect(400).at("/data/indexes/code", "validation_invalid_indexes"),
                                Step.get("/api/collections/tasks").size("/indexes", 1)),
                Scenario.named("an auth collection takes PocketBase's default indexes (tokenKey, email where not empty)")
                        .given(collection("{'name':'members','type':'auth','fields':[{'name':'nick','type':'text'}]}").expect(200))
                        .when(Step.request("PATCH", "/api/collections/members", null).rawBody("{\"indexes\":["
                                + "\"CREATE UNIQUE INDEX `idx_tokenKey_m` ON `members` (`tokenKey`)\","
                                + "\"CREATE UNIQUE INDEX `idx_email_m` ON `members` (`email`) WHERE `email` != ''\","
                                + "\"CREATE INDEX `idx_nick` ON `members` (`nick`)\"]}").expect(200).size("/indexes", 3))
                        .then(Step.request("PATCH", "/api/collections/members", null).rawBody(
                                "{\"indexes\":[\"CREATE INDEX i ON members (verified)\"]}").expect(400)
                                        .matches("/data/indexes.0/message", ".*auth field.*")));
    }
}
