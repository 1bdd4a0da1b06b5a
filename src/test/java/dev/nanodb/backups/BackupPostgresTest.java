package dev.nanodb.backups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.PgTestDatabase;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On the PostgreSQL backend every backup route answers 400 with the documented pointer to PostgreSQL's own tools
 * (after the usual 401 for an anonymous caller), and {@code /api/operations} works.
 */
class BackupPostgresTest {

    /** method, path, body of every backup route. */
    private static final List<List<String>> ROUTES = List.of(
            List.of("GET", "/api/backups", ""), List.of("POST", "/api/backups", "{}"),
            List.of("GET", "/api/backups/a.mdb", ""), List.of("DELETE", "/api/backups/a.mdb", ""),
            List.of("POST", "/api/backups/a.mdb/restore", "{}"));

    @Test
    void everyBackupRoutePointsToPostgresTools() {
        PgTestDatabase.assumeAvailable();
        try (TestServer server = TestServer.start(Map.of(),
                c -> new PostgresStore(PgTestDatabase.url(), PgTestDatabase.freshSchema(), 4))) {
            for (List<String> route : ROUTES) {
                String body = route.get(2).isEmpty() ? null : route.get(2);
                HttpResponse<String> r = server.asSuperuser(route.get(0), route.get(1), body);
                assertThat(r.statusCode()).as(route + " " + r.body()).isEqualTo(400);
                assertThat(r.body()).as(route.toString()).contains(BackupService.POSTGRES)
                        .contains("pg_dump").contains("docs/API.md#backups");
                HttpResponse<String> anonymous = server.send(route.get(0), route.get(1), body);
                assertThat(anonymous.statusCode()).as(route + " anonymous").isEqualTo(401);
            }
            HttpResponse<String> ops = server.get("/api/operations");
            assertThat(ops.statusCode()).isEqualTo(200);
            assertThat(ops.body()).isEqualTo("[]");
        }
    }
}
