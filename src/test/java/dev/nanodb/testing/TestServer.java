package dev.nanodb.testing;

import dev.nanodb.config.Config;
import dev.nanodb.config.ConfigLoader;
import dev.nanodb.Server;
import dev.nanodb.store.Store;
import dev.nanodb.store.lmdb.LmdbStore;
import dev.nanodb.store.postgres.PostgresStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real NanoDB server in the test JVM: its own temporary data folder, a free port, the production wiring.
 * {@link #close()} stops it and deletes the folder.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@local.host";
    public static final String ADMIN_PASSWORD = "password123";
    private final Path dir;
    private final Server server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String superuserToken;

    private TestServer(Path dir, Server server) {
        this.dir = dir;
        this.server = server;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /**
     * The default rate-limited routes with limits no test reaches, so the suite's many logins and sign-ups from
     * 127.0.0.1 are never throttled while the limiter still runs (and answers its headers) on every test.
     */
    public static final String GENEROUS_RATE_LIMITS = "POST /api/auth/login 1000000/1s, "
            + "POST /api/collections/*/auth-with-password 1000000/1s, POST /api/collections/*/auth-refresh 1000000/1s, "
            + "POST /api/collections/users/records 1000000/1s";

    /**
     * @param env settings on top of the test defaults (PORT=0, a temporary DB_PATH, BCRYPT_COST=4 so that the
     *            many sign-ups of the suite stay fast — the default cost is tested on its own — and
     *            {@link #GENEROUS_RATE_LIMITS})
     */
    public static TestServer start(Map<String, String> env) {
        if (POSTGRES.equals(env.get(BACKEND))) {
            PgTestDatabase.assumeAvailable();
            Map<String, String> rest = new HashMap<>(env);
            rest.remove(BACKEND);
            return start(rest, c -> new PostgresStore(PgTestDatabase.url(), PgTestDatabase.freshSchema(), 4));
        }
        return start(env, c -> new LmdbStore(c.dbPath().toFile(), c.initialMapSize(), c.dbMaxSize(), c.durable()));
    }

    /**
     * A test-only setting of {@link #start(Map)}: {@code TEST_BACKEND=postgres} starts the server on a fresh schema
     * of the test PostgreSQL database instead of LMDB (skipped, or failed under {@code NANODB_REQUIRE_POSTGRES=1},
     * when PostgreSQL is unreachable). It never reaches the server's configuration.
     */
    public static final String BACKEND = "TEST_BACKEND";
    public static final String POSTGRES = "postgres";

    /** As {@link #start(Map)} on the store {@code open} makes from the config (for instance a PostgreSQL one). */
    public static TestServer start(Map<String, String> env, java.util.function.Function<Config, Store> open) {
        try {
            Path dir = Files.createTempDirectory("nanodb-test");
            Config config = config(dir.resolve("data"), env);
            return new TestServer(dir, Server.start(config, open.apply(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test defaults for a data folder, with {@code env} on top. */
    public static Config config(Path dataDir, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("PORT", "0");
        all.put("HOST", "127.0.0.1");
        all.put("DB_PATH", dataDir.toString());
        all.put("DB_INITIAL_SIZE", "4MB");
        all.put("BCRYPT_COST", "4");
        all.put("AUTH_RATE_LIMIT", "1000/1m");
        all.put("RATE_LIMITS", GENEROUS_RATE_LIMITS);
        all.put("REALTIME_STREAMS_PER_IP", "10000");
        all.put("REALTIME_MAX_STREAMS", "10000");
        all.putAll(env);
        return ConfigLoader.load(all, null);
    }

    public Store store() {
        return server.store();
    }

    /** The server's scheduler: tests tick it at chosen minutes instead of waiting for them. */
    public dev.nanodb.crons.Crons crons() {
        return server.crons();
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A token of the default superuser (logged in once per server). */
    public String superuserToken() {
        if (superuserToken == null) superuserToken = login("_superusers", ADMIN_EMAIL, ADMIN_PASSWORD);
        return superuserToken;
    }

    /** Logs in through {@code auth-with-password}; fails the test unless it succeeds. */
    public String login(String collection, String email, String password) {
        HttpResponse<String> r = send("POST", "/api/collections/" + collection + "/auth-with-password",
                "{\"identity\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (r.statusCode() != 200) throw new AssertionError("login of " + email + " failed: " + r.statusCode() + " " + r.body());
        int at = r.body().indexOf("\"token\":\"") + 9;
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    /** Signs a user up in {@code users} (password {@code password123}) and returns its record id. */
    public String signUp(String email) {
        HttpResponse<String> r = send("POST", "/api/collections/users/records", "{\"email\":\"" + email
                + "\",\"password\":\"password123\",\"passwordConfirm\":\"password123\"}");
        if (r.statusCode() != 200) throw new AssertionError("sign-up of " + email + " failed: " + r.statusCode() + " " + r.body());
        int at = r.body().indexOf("\"id\":\"") + 6;
        return r.body().substring(at, r.body().indexOf('"', at));
    }

    /** As {@link #send} with the superuser's token. */
    public HttpResponse<String> asSuperuser(String method, String path, String body) {
        return send(method, path, body, "Authorization", superuserToken());
    }

    /** Sends a request; {@code body} may be null (JSON unless the headers name a Content-Type). Headers are name/value pairs. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) b.header("Content-Type", "application/json");
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET as the superuser (rules are bypassed; tests of rules use {@link #send} with their own token). */
    public HttpResponse<String> get(String path) {
        return asSuperuser("GET", path, null);
    }

    public HttpResponse<String> post(String path, String body) {
        return asSuperuser("POST", path, body);
    }

    public HttpResponse<String> patch(String path, String body) {
        return asSuperuser("PATCH", path, body);
    }

    public HttpResponse<String> delete(String path) {
        return asSuperuser("DELETE", path, null);
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
