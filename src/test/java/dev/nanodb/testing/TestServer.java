package dev.nanodb.testing;

import dev.nanodb.config.Config;
import dev.nanodb.config.ConfigLoader;
import dev.nanodb.http.HttpApi;
import dev.nanodb.records.RecordService;
import dev.nanodb.records.SystemCollections;
import dev.nanodb.store.Store;
import dev.nanodb.store.lmdb.LmdbStore;
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
    private final Path dir;
    private final Store store;
    private final HttpApi api;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dir, Store store, HttpApi api) {
        this.dir = dir;
        this.store = store;
        this.api = api;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** @param env settings on top of the test defaults (PORT=0, a temporary DB_PATH) */
    public static TestServer start(Map<String, String> env) {
        try {
            Path dir = Files.createTempDirectory("nanodb-test");
            Map<String, String> all = new HashMap<>();
            all.put("PORT", "0");
            all.put("HOST", "127.0.0.1");
            all.put("DB_PATH", dir.resolve("data").toString());
            all.put("DB_INITIAL_SIZE", "4MB");
            all.putAll(env);
            Config config = ConfigLoader.load(all, null);
            Store store = new LmdbStore(config.dbPath().toFile(), config.initialMapSize(), config.dbMaxSize(), config.durable());
            SystemCollections.ensure(store);
            HttpApi api = HttpApi.start(config, store, new RecordService(store, config.autoCollections()));
            return new TestServer(dir, store, api);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Store store() {
        return store;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    /** Sends a request; {@code body} may be null. Headers are name/value pairs. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    public HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    public HttpResponse<String> patch(String path, String body) {
        return send("PATCH", path, body);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    @Override
    public void close() {
        api.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
