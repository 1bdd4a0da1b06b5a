package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.store.Change;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A worker that throws never takes the server down: a change listener that throws (an exception or an
 * {@link Error}) is skipped while later listeners still run, and a write whose work throws an {@code Error} fails
 * alone while the single writer goes on committing.
 */
class WorkerFailureTest {
    private static final String NOTES = "/api/collections/notes/records";

    @Test
    void changeListenersThatThrowNeverStopWritesOrLaterListeners() {
        try (TestServer server = TestServer.start()) {
            AtomicInteger seen = new AtomicInteger();
            server.store().addChangeListener(changes -> {
                throw new IllegalStateException("listener failure");
            });
            server.store().addChangeListener(changes -> {
                throw new StackOverflowError("listener error");
            });
            server.store().addChangeListener(changes -> seen.addAndGet(changes.size()));
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = server.post(NOTES, "{\"n\":" + i + "}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            assertThat(seen.get()).isEqualTo(20);
            assertThat(server.get(NOTES + "?perPage=1").body()).contains("\"totalItems\":20");
            assertThat(server.send("GET", "/health", null).statusCode()).isEqualTo(200);
            assertThat(server.store().check().clean()).isTrue();
        }
    }

    @Test
    void aWriteWhoseWorkThrowsAnErrorFailsAloneAndTheWriterGoesOn() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> created = server.post(NOTES, "{\"n\":1}");
            String id = ScenarioRunner.JSON.readTree(created.body()).path("id").asText();
            var failing = server.store().write(List.of(new WriteOp.Update("notes", id, null, r -> {
                throw new AssertionError("a bug in an update function");
            })));
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            List<Change> next = server.store().write(List.of(new WriteOp.Delete("notes", id, null))).get(30, TimeUnit.SECONDS);
            assertThat(next).hasSize(1);
            assertThat(server.post(NOTES, "{\"n\":2}").statusCode()).isEqualTo(200);
            assertThat(server.get(NOTES + "/" + id).statusCode()).isEqualTo(404);
            assertThat(server.store().check().clean()).isTrue();
        }
    }
}
