package dev.nanodb.multinode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanodb.json.Json;
import dev.nanodb.realtime.SseClient;
import dev.nanodb.realtime.SseClient.Event;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.NodeProject;
import dev.nanodb.testing.PgTestDatabase;
import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two NanoDB processes (A and B, child JVMs on their own ports and data folders) sharing one fresh PostgreSQL
 * database behave as one service: records written on either are read on the other; a realtime subscriber on B
 * receives A's create, update and delete of a record it may view exactly once and in order (and not a record it may
 * not view), also when the subscriber is the PocketBase SDK and across B's change-log listener reconnecting; a user token issued by A works on B and is refused there once the password was changed on A;
 * concurrent PATCHes with one {@code _expectedVersion} on both nodes give exactly one 200 and one 409 per round; and
 * SIGKILLing A during a write load on both nodes loses no acknowledged write while B keeps serving.
 *
 * <p>B's file storage folder is a link to A's, so the nodes keep files in one folder and B may start
 * ({@code NodeStorage}). The kill runs last. Waits have generous deadlines and nothing asserts how long anything took.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class MultiNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NOTES = "/api/collections/notes/records";
    private static final String LOAD = "/api/collections/load/records";
    private static PgTestDatabase db;
    private static Path work;
    private static ChildServer a;
    private static ChildServer b;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        ChildServer.classpath(); // snapshot the classes before anything else can rebuild them
        db = PgTestDatabase.create("multinode");
        work = Files.createTempDirectory("nanodb-multinode");
        Map<String, String> env = Map.of(
                "DATABASE_URL", "postgres://postgres@" + db.jdbcUrl().substring("jdbc:postgresql://".length()),
                "AUTH_RATE_LIMIT", "1000/1m", "RATE_LIMITS", TestServer.GENEROUS_RATE_LIMITS,
                "REALTIME_STREAMS_PER_IP", "10000");
        a = ChildServer.start(work, work.resolve("a-data"), "a", env);
        Files.createDirectories(work.resolve("b-data"));
        Files.createSymbolicLink(work.resolve("b-data").resolve("storage"), work.resolve("a-data").resolve("storage"));
        b = ChildServer.start(work, work.resolve("b-data"), "b", env);
        a.ok("POST", "/api/collections", q("{'name':'notes','type':'base','fields':[{'name':'title','type':'text'},"
                + "{'name':'owner_id','type':'text'}],'listRule':'owner_id = @request.auth.id',"
                + "'viewRule':'owner_id = @request.auth.id','createRule':null,'updateRule':null,'deleteRule':null}"));
        a.ok("POST", "/api/collections", q("{'name':'load','type':'base','fields':[{'name':'title','type':'text'}],"
                + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}"));
    }

    @AfterAll
    static void stopBothAndDropTheDatabase() throws Exception {
        try {
            for (ChildServer s : new ChildServer[] {a, b}) {
                if (s == null) continue;
                try {
                    s.stop();
                } finally {
                    s.ensureDead();
                }
            }
        } finally {
            if (db != null) db.close();
            if (work != null) ChildServer.deleteTree(work);
        }
    }

    /** A record created on A is read on B with the same values and version, and one created on B is read on A. */
    @Test
    @Order(1)
    void aRecordWrittenOnOneNodeIsReadOnTheOther() {
        Map<String, Object> onA = a.ok("POST", NOTES, q("{'title':'written on A','owner_id':'x'}"));
        Map<String, Object> readOnB = b.ok("GET", NOTES + "/" + onA.get("id"), null);
        assertThat(readOnB).containsEntry("title", "written on A").containsEntry("_version", onA.get("_version"));

        Map<String, Object> onB = b.ok("POST", NOTES, q("{'title':'written on B','owner_id':'x'}"));
        Map<String, Object> readOnA = a.ok("GET", NOTES + "/" + onB.get("id"), null);
        assertThat(readOnA).containsEntry("title", "written on B").containsEntry("_version", onB.get("_version"));
    }

    /**
     * A user subscribed on B ({@code notes/*}, PocketBase protocol) receives A's create, update and delete of its own
     * record, each once and in that order, and nothing of a record owned by someone else written in between: the
     * marker written on A last arrives right after the delete.
     */
    @Test
    @Order(2)
    void aSubscriberOnBReceivesTheChangesMadeOnA() throws Exception {
        User user = signUpOnA("watcher");
        try (SseClient stream = SseClient.open(SseClient.httpClient(), b.baseUrl(), "")) {
            stream.subscribeOk(user.token(), "notes/*");
            String id = (String) a.ok("POST", NOTES, q("{'title':'v1','owner_id':'" + user.id() + "'}")).get("id");
            String hidden = (String) a.ok("POST", NOTES, q("{'title':'not yours','owner_id':'other'}")).get("id");
            a.ok("PATCH", NOTES + "/" + id, q("{'title':'v2'}"));
            a.ok("PATCH", NOTES + "/" + hidden, q("{'title':'still not yours'}"));
            a.ok("DELETE", NOTES + "/" + id, null);
            String marker = (String) a.ok("POST", NOTES, q("{'title':'marker','owner_id':'" + user.id() + "'}")).get("id");

            List<Event> got = SseClient.changes(stream.untilRecord(marker, WAIT));
            assertThat(got).extracting(Event::name).containsOnly("notes/*");
            assertThat(got).extracting(Event::action, Event::recordId).as("events on B, in order")
                    .containsExactly(tuple("create", id), tuple("update", id), tuple("delete", id), tuple("create", marker));
            assertThat(got.get(0).record()).containsEntry("title", "v1");
            assertThat(got.get(1).record()).containsEntry("title", "v2");
        }
    }

    /**
     * The same with the official PocketBase JS SDK as the subscriber on B ({@code src/test/e2e/multinode.mjs}), and
     * then again after this test terminated B's change-log listener session (and only B's) between the script's two
     * phases: the changes written on A next reach the same SDK stream once each and in order, so B reconnected and
     * resynchronised from the log.
     */
    @Test
    @Order(3)
    void thePocketBaseSdkSubscribedOnBReceivesAsChangesAlsoAfterBsListenerReconnects() throws Exception {
        NodeProject project = NodeProject.install();
        Map<String, String> env = Map.of("NANODB_URL_A", a.baseUrl(), "NANODB_URL_B", b.baseUrl(),
                "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        try (Connection admin = db.connect("nanodb-multinode-test");
             NodeProject.Script script = project.start(List.of(project.node().toString(), "multinode.mjs"), env)) {
            script.awaitLine("PHASE 1 PASSED");
            int listenerOfA = listenerSession(admin, a);
            int listenerOfB = listenerSession(admin, b);
            try (Statement s = admin.createStatement();
                 ResultSet r = s.executeQuery("SELECT pg_terminate_backend(" + listenerOfB + ")")) {
                assertThat(r.next() && r.getBoolean(1)).as("terminated B's listener session %d", listenerOfB).isTrue();
            }
            await("B's listener session ended", () -> sessions(admin, "pid = " + listenerOfB).isEmpty());
            script.send("go");
            NodeProject.Run run = script.finish();
            assertThat(run.exit()).as("multinode.mjs failed; its output:%n%s", run.output()).isZero();
            assertThat(run.output()).as("multinode.mjs output").contains("PHASE 2 PASSED");
            assertThat(listenerSession(admin, b)).as("B's listener reconnected").isNotEqualTo(listenerOfB);
            assertThat(listenerSession(admin, a)).as("A's listener was left alone").isEqualTo(listenerOfA);
        }
    }

    /** The backend pid of {@code node}'s change-log listener session: its application name carries the node's pid. */
    private static int listenerSession(Connection admin, ChildServer node) {
        List<Integer> pids = sessions(admin, "application_name LIKE 'nanodb-changes-" + node.pid() + "-%'");
        assertThat(pids).as("listener sessions of the node with pid %d", node.pid()).hasSize(1);
        return pids.get(0);
    }

    /** The backend pids of the sessions on the test database that match {@code condition} (SQL). */
    private static List<Integer> sessions(Connection admin, String condition) {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ? AND " + condition)) {
            ps.setString(1, db.name());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) pids.add(r.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /**
     * A user token issued by A is accepted by B; after the user changed its password on A, B no longer counts the old
     * token as the user: its own record is the 404 of a guest (INVALID_TOKEN=guest, the default), auth-refresh is
     * 401, and the new password signs in.
     */
    @Test
    @Order(4)
    void aTokenFromAWorksOnBUntilThePasswordChangesOnA() throws Exception {
        User user = signUpOnA("mover");
        String self = "/api/collections/users/records/" + user.id();
        HttpResponse<String> before = b.sendAs(user.token(), "GET", self, null);
        assertThat(before.statusCode()).as("A's token on B: %s", before.body()).isEqualTo(200);

        HttpResponse<String> change = a.sendAs(user.token(), "PATCH", self,
                q("{'oldPassword':'password123','password':'newpassword456','passwordConfirm':'newpassword456'}"));
        assertThat(change.statusCode()).as("password change on A: %s", change.body()).isEqualTo(200);

        HttpResponse<String> after = b.sendAs(user.token(), "GET", self, null);
        assertThat(after.statusCode()).as("the old token on B after the change (a guest): %s", after.body()).isEqualTo(404);
        HttpResponse<String> refresh = b.sendAs(user.token(), "POST", "/api/collections/users/auth-refresh", null);
        assertThat(refresh.statusCode()).as("auth-refresh with the old token on B: %s", refresh.body()).isEqualTo(401);
        login(b, user.email(), "newpassword456");
    }

    /**
     * 20 rounds of two PATCHes with the same {@code _expectedVersion}, one to A and one to B, released together:
     * each round gives exactly one 200 and one 409, and the record ends at version 1 + 20 with the last winner's value.
     */
    @Test
    @Order(5)
    void concurrentPatchesOnBothNodesGiveOneSuccessAndOneConflict() throws Exception {
        int rounds = 20;
        String id = (String) a.ok("POST", NOTES, q("{'title':'raced','owner_id':'x'}")).get("id");
        String lastWinner = null;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= rounds; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (ChildServer node : List.of(a, b)) {
                    String body = "{\"title\":\"" + (node == a ? "A" : "B") + round + "\",\"_expectedVersion\":" + round + "}";
                    answers.add(pool.submit(() -> {
                        go.await();
                        return node.send("PATCH", NOTES + "/" + id, body);
                    }));
                }
                go.countDown();
                int onA = answers.get(0).get(60, TimeUnit.SECONDS).statusCode();
                int onB = answers.get(1).get(60, TimeUnit.SECONDS).statusCode();
                assertThat(List.of(onA, onB)).as("round %d: A answered %d, B answered %d", round, onA, onB)
                        .containsExactlyInAnyOrder(200, 409);
                lastWinner = (onA == 200 ? "A" : "B") + round;
            }
        } finally {
            pool.shutdownNow();
        }
        for (ChildServer node : List.of(a, b)) {
            Map<String, Object> last = node.ok("GET", NOTES + "/" + id, null);
            assertThat(((Number) last.get("_version")).longValue()).isEqualTo(1 + rounds);
            assertThat(last).containsEntry("title", lastWinner);
        }
    }

    /**
     * Four clients create records on A and four on B; A is SIGKILLed mid-load. Every create either node
     * acknowledged is readable on B afterwards, B's clients never see a failure, and B acknowledges further creates
     * and serves reads after A died.
     */
    @Test
    @Order(6)
    void killingANodeLosesNoAcknowledgedWriteAndTheOtherKeepsServing() throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger ackedOnA = new AtomicInteger();
        AtomicInteger ackedOnBAfterKill = new AtomicInteger();
        List<String> errors = new CopyOnWriteArrayList<>();
        var state = new Object() {
            volatile boolean killed;
            volatile boolean stop;
        };
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            ChildServer node = c < 4 ? a : b;
            String name = (node == a ? "A" : "B") + c;
            clients.add(Thread.ofPlatform().name("multinode-client-" + name).start(() -> {
                for (int k = 0; !state.stop; k++) {
                    boolean killedBefore = state.killed;
                    try {
                        HttpResponse<String> r = node.send("POST", LOAD, "{\"title\":\"" + name + "-" + k + "\"}");
                        if (r.statusCode() != 200) throw new IOException("status " + r.statusCode() + " " + r.body());
                        acked.add((String) parse(r.body()).get("id"));
                        if (node == a) ackedOnA.incrementAndGet();
                        else if (killedBefore) ackedOnBAfterKill.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        if (node == a && state.killed) return; // A is gone: this write was never acknowledged
                        errors.add(name + " write " + k + ": " + e);
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        try {
            await("A acknowledged 200 creates", () -> ackedOnA.get() >= 200 || !errors.isEmpty());
            state.killed = true;
            a.kill();
            await("B acknowledged 100 creates after A died", () -> ackedOnBAfterKill.get() >= 100 || !errors.isEmpty());
        } finally {
            state.stop = true;
            for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(errors).as("failures other than A's own after the kill").isEmpty();
        assertThat(clients).noneMatch(Thread::isAlive);

        Set<String> onB = new HashSet<>();
        for (int page = 1; ; page++) {
            Map<String, Object> p = b.ok("GET", LOAD + "?perPage=500&page=" + page, null);
            @SuppressWarnings("unchecked") List<Map<String, Object>> items = (List<Map<String, Object>>) p.get("items");
            items.forEach(r -> onB.add((String) r.get("id")));
            if (items.size() < 500) break;
        }
        System.out.printf("MULTINODE %d acknowledged creates (%d on A before the kill, %d on B after it), %d listed on B%n",
                acked.size(), ackedOnA.get(), ackedOnBAfterKill.get(), onB.size());
        assertThat(acked).as("acknowledged creates").hasSizeGreaterThanOrEqualTo(300);
        assertThat(onB).as("every acknowledged create is listed on B").containsAll(acked);

        String after = (String) b.ok("POST", LOAD, "{\"title\":\"after the kill\"}").get("id");
        assertThat(b.ok("GET", LOAD + "/" + after, null)).containsEntry("title", "after the kill");
    }

    private record User(String id, String email, String token) {}

    private static final AtomicInteger USERS = new AtomicInteger();

    /** Signs a user up on A (password {@code password123}) and logs it in on A. */
    private static User signUpOnA(String prefix) throws Exception {
        String email = prefix + USERS.incrementAndGet() + "@example.com";
        HttpResponse<String> r = a.sendAs(null, "POST", "/api/collections/users/records",
                q("{'email':'" + email + "','password':'password123','passwordConfirm':'password123'}"));
        assertThat(r.statusCode()).as("sign-up on A: %s", r.body()).isEqualTo(200);
        return new User((String) parse(r.body()).get("id"), email, login(a, email, "password123"));
    }

    private static String login(ChildServer node, String email, String password) throws Exception {
        HttpResponse<String> r = node.sendAs(null, "POST", "/api/collections/users/auth-with-password",
                q("{'identity':'" + email + "','password':'" + password + "'}"));
        assertThat(r.statusCode()).as("login of %s: %s", email, r.body()).isEqualTo(200);
        return (String) parse(r.body()).get("token");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 120 s: " + what);
            Thread.sleep(10);
        }
    }

    private static Map<String, Object> parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String q(String json) {
        return json.replace('\'', '"');
    }
}
