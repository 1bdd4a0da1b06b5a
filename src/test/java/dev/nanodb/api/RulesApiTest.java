package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule kind on every action for every kind of caller: the superuser, an anonymous client, the owner of a
 * record ({@code alice}) and another user ({@code bob}). Each scenario seeds {@code notes} with one note of
 * alice's ({@code {id1}}) and one of bob's ({@code {id2}}), then acts once; a refused write is followed by a
 * superuser read proving nothing changed.
 *
 * <p>PocketBase semantics: a locked rule ({@code null}) is 403 for everyone but superusers; an open rule
 * ({@code ""}) allows everyone; an expression that does not hold filters a list (200), hides a record from view,
 * update and delete (404, exactly like a missing one) and refuses a create (400).
 */
class RulesApiTest {
    private static final String OWNER = "owner_id = @request.auth.id";
    private static final String LOGGED_IN = "@request.auth.id != ''";
    private static final String ALICE_NOTE = "/api/collections/notes/records/{id1}";
    private static final List<String> CALLERS = List.of("admin", "anon", "alice", "bob");

    @TestFactory
    Stream<DynamicTest> rules() {
        return ScenarioRunner.tests(scenarios());
    }

    /** notes with the same rule for every action, and one note each for alice and bob. */
    private static Step[] notes(String rule) {
        String r = json(rule);
        return new Step[] {
            collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'owner_id','type':'text','indexed':true}],"
                    + "'listRule':" + r + ",'viewRule':" + r + ",'createRule':" + r + ",'updateRule':" + r + ",'deleteRule':" + r + "}"),
            create("notes", "{'title':'alice note','owner_id':'{alice}'}"),
            create("notes", "{'title':'bob note','owner_id':'{bob}'}")};
    }

    /** A rule as a JSON value inside a single-quoted scenario body (its own quotes escaped). */
    private static String json(String rule) {
        return rule == null ? "null" : "'" + rule.replace("\"", "'").replace("'", "\\'") + "'";
    }

    private static Scenario scenario(String rule, String action, String caller) {
        String name = "rule " + (rule == null ? "null" : rule.isEmpty() ? "\"\"" : rule) + ": " + action + " as " + caller;
        return Scenario.named(name).users("alice", "bob").given(notes(rule)).when(step(action, caller, rule)).then(after(action, caller, rule));
    }

    /** The expected outcome of one action, by rule kind and caller. */
    private static Step step(String action, String caller, String rule) {
        boolean admin = caller.equals("admin");
        boolean locked = rule == null && !admin;
        boolean owner = caller.equals("alice");
        boolean holds = admin || "".equals(rule) || (LOGGED_IN.equals(rule) && !caller.equals("anon")) || (OWNER.equals(rule) && owner);
        return switch (action) {
            case "list" -> {
                Step s = list("notes", "sort", "title").as(caller);
                if (locked) yield s.expect(403);
                int visible = admin || "".equals(rule) || (LOGGED_IN.equals(rule) && !caller.equals("anon")) ? 2
                        : OWNER.equals(rule) && !caller.equals("anon") ? 1 : 0;
                s = s.expect(200).at("/totalItems", visible).size("/items", visible);
                if (OWNER.equals(rule) && caller.equals("alice")) s = s.at("/items/0/title", "alice note").lacks("bob note");
                if (OWNER.equals(rule) && caller.equals("bob")) s = s.at("/items/0/title", "bob note").lacks("alice note");
                yield s;
            }
            case "view" -> {
                Step s = get(ALICE_NOTE).as(caller);
                yield locked ? s.expect(403) : holds ? s.expect(200).at("/title", "alice note") : s.expect(404).lacks("alice note");
            }
            case "update" -> {
                Step s = patch(ALICE_NOTE, "{'title':'changed'}").as(caller);
                yield locked ? s.expect(403) : holds ? s.expect(200).at("/title", "changed") : s.expect(404).lacks("alice note");
            }
            case "delete" -> {
                Step s = delete(ALICE_NOTE).as(caller);
                yield locked ? s.expect(403) : holds ? s.expect(200).at("/success", true) : s.expect(404);
            }
            case "create" -> {
                Step s = create("notes", "{'title':'new'}").as(caller);
                if (locked) yield s.expect(403);
                boolean allowed = admin || "".equals(rule) || !caller.equals("anon");
                yield allowed ? s.expect(200).at("/title", "new") : s.expect(400).lacks("'id'");
            }
            default -> throw new IllegalArgumentException(action);
        };
    }

    /** After the action: a refused write changed nothing; an allowed one is visible to the superuser. */
    private static Step[] after(String action, String caller, String rule) {
        boolean admin = caller.equals("admin");
        boolean holds = admin || "".equals(rule) || (LOGGED_IN.equals(rule) && !caller.equals("anon"))
                || (OWNER.equals(rule) && caller.equals("alice"));
        return switch (action) {
            case "update" -> new Step[] {get(ALICE_NOTE).at("/title", holds ? "changed" : "alice note").at("/owner_id", "{alice}")};
            case "delete" -> new Step[] {get(ALICE_NOTE).expect(holds ? 404 : 200)};
            case "create" -> {
                boolean allowed = admin || rule != null && ("".equals(rule) || !caller.equals("anon"));
                String owner = caller.equals("alice") || caller.equals("bob") ? "{" + caller + "}" : null;
                Step count = list("notes").at("/totalItems", allowed ? 3 : 2);
                yield owner != null && allowed
                        ? new Step[] {count, list("notes", "filter", "title = 'new'").at("/items/0/owner_id", owner)}
                        : new Step[] {count};
            }
            default -> new Step[] {list("notes").at("/totalItems", 2)};
        };
    }

    static List<Scenario> scenarios() {
        List<Scenario> out = new ArrayList<>();
        for (String rule : new String[] {null, "", LOGGED_IN, OWNER}) {
            for (String action : List.of("list", "view", "create", "update", "delete")) {
                for (String caller : CALLERS) out.add(scenario(rule, action, caller));
            }
        }
        out.addAll(special());
        return out;
    }

    /** Rules that read the request, the would-be record, and the auth record's own fields. */
    private static List<Scenario> special() {
        return List.of(
                Scenario.named("create rule on the would-be record: title must be 'ok' (the view rule is locked: 204)")
                        .users("alice")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'createRule':" + json("title = 'ok'") + "}"))
                        .when(create("notes", "{'title':'no'}").as("alice").expect(400))
                        .then(create("notes", "{'title':'ok'}").as("alice").expect(204), list("notes").at("/totalItems", 1)),
                Scenario.named("@request.body in an update rule: only the status may change")
                        .users("alice")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'},{'name':'status','type':'text'}],"
                                        + "'viewRule':'','updateRule':" + json("@request.body.title = ''") + "}"),
                                create("notes", "{'title':'t','status':'draft'}"))
                        .when(patch("/api/collections/notes/records/{id}", "{'title':'x'}").as("alice").expect(404))
                        .then(patch("/api/collections/notes/records/{id}", "{'status':'done'}").as("alice").expect(200).at("/status", "done"),
                                get("/api/collections/notes/records/{id}").at("/title", "t")),
                Scenario.named("@request.query in a list rule")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'listRule':" + json("@request.query.key = 'k1'") + "}"),
                                create("notes", "{'title':'t'}"))
                        .when(list("notes", "key", "k1").as("anon").expect(200).at("/totalItems", 1))
                        .then(list("notes", "key", "other").as("anon").expect(200).at("/totalItems", 0)),
                Scenario.named("@request.method in a view rule")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'viewRule':" + json("@request.method = 'GET'") + "}"),
                                create("notes", "{'title':'t'}"))
                        .when(get("/api/collections/notes/records/{id}").as("anon").expect(200)),
                Scenario.named("@request.auth.* field of the auth record (verified) in a list rule")
                        .users("alice")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'listRule':'@request.auth.verified = true'}"),
                                create("notes", "{'title':'t'}"))
                        .when(list("notes").as("alice").expect(200).at("/totalItems", 0))
                        .then(patch("/api/collections/users/records/{alice}", "{'verified':true}"),
                                list("notes").as("alice").expect(200).at("/totalItems", 1)),
                Scenario.named("@request.auth.collectionName lets only users of users in")
                        .users("alice")
                        .given(collection("{'name':'notes','fields':[{'name':'title','type':'text'}],'viewRule':" + json("@request.auth.collectionName = 'users'") + "}"),
                                create("notes", "{'title':'t'}"))
                        .when(get("/api/collections/notes/records/{id}").as("alice").expect(200))
                        .then(get("/api/collections/notes/records/{id}").as("anon").expect(404)),
                Scenario.named("a user's filter is ANDed with the list rule, never widening it")
                        .users("alice", "bob")
                        .given(notes(OWNER))
                        .when(list("notes", "filter", "owner_id = '{bob}' || title != ''").as("alice").expect(200)
                                .at("/totalItems", 1).at("/items/0/title", "alice note").lacks("bob note")),
                Scenario.named("seed default rules of an auto-created collection")
                        .users("alice", "bob")
                        .given(create("posts", "{'title':'by alice'}").as("alice"))
                        .when(list("posts").as("anon").expect(200).at("/totalItems", 0))
                        .then(list("posts").as("bob").at("/totalItems", 1),
                                get("/api/collections/posts/records/{id}").as("anon").expect(200).at("/owner_id", "{alice}"),
                                patch("/api/collections/posts/records/{id}", "{'title':'x'}").as("bob").expect(404),
                                delete("/api/collections/posts/records/{id}").as("bob").expect(404),
                                patch("/api/collections/posts/records/{id}", "{'title':'y'}").as("alice").expect(200),
                                create("posts", "{'title':'anon'}").as("anon").expect(400)),
                Scenario.named("an anonymous write to a missing collection does not create it")
                        .when(create("ghosts", "{'title':'boo'}").as("anon").expect(404))
                        .then(get("/api/collections/ghosts").expect(404)),
                Scenario.named("users: each user sees and edits only itself; anyone may sign up")
                        .users("alice", "bob")
                        .when(list("users").as("alice").expect(200).at("/totalItems", 1).at("/items/0/id", "{alice}"))
                        .then(get("/api/collections/users/records/{bob}").as("alice").expect(404),
                                patch("/api/collections/users/records/{bob}", "{'name':'x'}").as("alice").expect(404),
                                delete("/api/collections/users/records/{bob}").as("alice").expect(404),
                                list("users").as("anon").expect(200).at("/totalItems", 0),
                                create("users", "{'email':'carol@example.com','password':'password123','passwordConfirm':'password123'}")
                                        .as("anon").expect(200).at("/email", "carol@example.com").lacks("password123", "tokenKey")),
                Scenario.named("_superusers: superusers only")
                        .users("alice")
                        .when(list("_superusers").as("alice").expect(403))
                        .then(list("_superusers").as("anon").expect(403),
                                create("_superusers", "{'email':'x@example.com','password':'password123','passwordConfirm':'password123'}")
                                        .as("alice").expect(403),
                                list("_superusers").at("/totalItems", 1)));
    }
}
