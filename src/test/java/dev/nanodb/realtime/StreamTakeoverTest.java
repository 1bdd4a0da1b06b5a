package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Hole 6 of issue 13: a realtime stream could be taken over by posting another account's token with its client
 * id. Now a stream belongs to the account it was opened with, or else to the first account that subscribed it;
 * only that account may subscribe it again (PocketBase answers 403 "The current and the previous request
 * authorization don't match." too). Each row opens a stream, subscribes it in turn as the listed callers with the
 * expected answers, and then checks whose events the stream receives: records of {@code alice} and of {@code bob}
 * are created in an owner-only collection, and the stream must get exactly those of the expected owner.
 */
@Timeout(120)
class StreamTakeoverTest extends RealtimeTestSupport {

    /** One subscribe request: who sends it ("anon", "alice", "bob", "admin") and the status it must get. */
    record Attempt(String who, int status) {}

    /**
     * @param openedAs  who opens the stream ({@code ?token=}), "anon" for nobody
     * @param attempts  the subscribe requests, in order
     * @param receives  whose records the stream finally gets events for ("alice", "bob" or "nobody")
     * @param relogin   alice changes her password after the first attempt and subscribes again with a new token
     */
    record Row(String name, String openedAs, List<Attempt> attempts, String receives, boolean relogin) {}

    private static List<Row> rows() {
        return List.of(
                new Row("anonymous stream claimed by alice; bob is refused", "anon",
                        List.of(new Attempt("alice", 204), new Attempt("bob", 403)), "alice", false),
                new Row("claimed by alice; an anonymous subscribe is refused", "anon",
                        List.of(new Attempt("alice", 204), new Attempt("anon", 403)), "alice", false),
                new Row("claimed by alice; a superuser is refused too", "anon",
                        List.of(new Attempt("alice", 204), new Attempt("admin", 403)), "alice", false),
                new Row("opened with alice's token; bob is refused", "alice",
                        List.of(new Attempt("bob", 403)), "alice", false),
                new Row("anonymous subscribes keep it unclaimed; bob claims it; alice is refused", "anon",
                        List.of(new Attempt("anon", 204), new Attempt("bob", 204), new Attempt("alice", 403)), "bob", false),
                new Row("alice subscribes again and again", "anon",
                        List.of(new Attempt("alice", 204), new Attempt("alice", 204)), "alice", false),
                new Row("alice's password change revokes the stream; her new token re-subscribes it; bob still cannot", "anon",
                        List.of(new Attempt("alice", 204), new Attempt("alice", 204), new Attempt("bob", 403)), "alice", true));
    }

    @TestFactory
    Stream<DynamicTest> aStreamBelongsToItsFirstAccount() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> run(r)));
    }

    private void run(Row row) {
        String c = Fixture.ownerCollection(server, "takeover");
        Fixture.User alice = Fixture.user(server, "alice");
        Fixture.User bob = Fixture.user(server, "bob");
        String[] aliceToken = {alice.token()};
        String query = row.openedAs().equals("alice") ? "?token=" + alice.token() + "&collections=" + c : "";
        try (SseClient stream = open(query)) {
            for (int i = 0; i < row.attempts().size(); i++) {
                if (row.relogin() && i == 1) aliceToken[0] = changePassword(alice);
                Attempt a = row.attempts().get(i);
                String token = switch (a.who()) {
                    case "alice" -> aliceToken[0];
                    case "bob" -> bob.token();
                    case "admin" -> server.superuserToken();
                    default -> null;
                };
                HttpResponse<String> r = stream.subscribe(token, List.of(c + "/*"));
                assertThat(r.statusCode()).as("attempt %d as %s: %s", i, a.who(), r.body()).isEqualTo(a.status());
                if (a.status() == 403) assertThat(r.body()).contains("authorization don't match");
            }
            String aliceRecord = Fixture.create(server, c, "{'title':'a','owner_id':'" + alice.id() + "'}");
            String bobRecord = Fixture.create(server, c, "{'title':'b','owner_id':'" + bob.id() + "'}");
            String marker = Fixture.create(server, c, "{'title':'end','owner_id':'"
                    + (row.receives().equals("bob") ? bob.id() : alice.id()) + "'}");
            List<String> got = new ArrayList<>();
            for (SseClient.Event e : SseClient.changes(stream.untilRecord(marker, Fixture.WAIT))) got.add(e.recordId());
            String expected = row.receives().equals("bob") ? bobRecord : aliceRecord;
            String other = row.receives().equals("bob") ? aliceRecord : bobRecord;
            assertThat(got).as("events of the stream's owner only").contains(expected, marker).doesNotContain(other);
        }
    }

    /** Changes alice's password (revoking her tokens and the stream's identity); returns a token of the new one. */
    private static String changePassword(Fixture.User alice) {
        Fixture.expect(200, server.send("PATCH", "/api/collections/users/records/" + alice.id(),
                "{\"oldPassword\":\"password123\",\"password\":\"password456\",\"passwordConfirm\":\"password456\"}",
                "Authorization", alice.token()));
        return server.login("users", alice.email(), "password456");
    }
}
