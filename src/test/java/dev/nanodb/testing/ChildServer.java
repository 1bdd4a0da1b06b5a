package dev.nanodb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A NanoDB server in a child JVM, started from the test JVM's classpath on a data folder, that can be killed
 * with SIGKILL or stopped with SIGTERM. Its output goes to a log file, shown when something goes wrong. Extra
 * environment (for instance {@code DATABASE_URL}, to run several children on one PostgreSQL database) goes on top
 * of the defaults, which select the embedded LMDB store.
 */
public final class ChildServer {
    public static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private ChildServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    private static String classpath;

    /**
     * The test JVM's classpath, with its class directories copied once to a private folder: other builds in the
     * same checkout may recompile {@code target/classes} while the rounds run, and a child must never load half
     * of one build and half of another.
     */
    public static synchronized String classpath() throws IOException {
        if (classpath != null) return classpath;
        Path snapshot = Files.createTempDirectory("nanodb-crash-cp");
        List<String> entries = new java.util.ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isDirectory(p) || p.endsWith("test-classes")) {
                entries.add(entry);
                continue;
            }
            Path copy = snapshot.resolve("dir" + n++);
            try (var files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(p.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to);
                    else Files.copy(f, to);
                }
            }
            entries.add(copy.toString());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(snapshot)));
        classpath = String.join(java.io.File.pathSeparator, entries);
        return classpath;
    }

    /** Deletes a folder with everything in it, best effort (a test's work folder). */
    public static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    public static ProcessBuilder java(Path workDir, Path dataDir, String... args) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-Xmx128m", "-cp", classpath(), "dev.nanodb.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("DB_PATH", dataDir.toString());
        env.put("DB_INITIAL_SIZE", "1MB");
        env.put("HOST", "127.0.0.1");
        env.put("NANODB_ENV", "test");
        env.put("BCRYPT_COST", "4");
        env.remove("DATABASE_URL");
        return pb;
    }

    /** Starts a server on a free port and waits until {@code /health} answers. */
    public static ChildServer start(Path workDir, Path dataDir, String name) throws IOException, InterruptedException {
        return start(workDir, dataDir, name, Map.of());
    }

    /**
     * As {@link #start(Path, Path, String)} with {@code env} on top of the defaults, then logs the default superuser
     * in (its token goes with every {@link #send}).
     */
    public static ChildServer start(Path workDir, Path dataDir, String name, Map<String, String> env)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = java(workDir, dataDir).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PORT", String.valueOf(port));
        ChildServer server = new ChildServer(pb.start(), port, log);
        server.awaitHealthy();
        server.token = null;
        HttpResponse<String> login = server.send("POST", "/api/collections/_superusers/auth-with-password",
                "{\"identity\":\"admin@local.host\",\"password\":\"password123\"}");
        assertThat(login.statusCode()).as("superuser login: %s", login.body()).isEqualTo(200);
        server.token = (String) Json.parseObject(login.body().getBytes(StandardCharsets.UTF_8)).get("token");
        return server;
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the server exited with " + process.exitValue() + "\n" + logTail());
            try {
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not become healthy\n" + logTail());
    }

    /** The superuser's token once logged in; every request sends it. */
    private volatile String token;

    /** The child's process id (its change log listener's application name carries it). */
    public long pid() {
        return process.pid();
    }

    /** The superuser's token that goes with {@link #send}. */
    public String token() {
        return token;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /** Sends a request as the superuser ({@code body}, JSON, may be null). */
    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return sendAs(token, method, path, body);
    }

    /** Sends a request with {@code token} as Authorization (null = anonymous). */
    public HttpResponse<String> sendAs(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart write ({@link Multipart}) as the superuser. */
    public HttpResponse<String> upload(String method, String path, String json, Multipart.Part... parts)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = Multipart.request(uri(path), method, json, parts);
        if (token != null) b.header("Authorization", token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request that must succeed with 2xx; returns the JSON object answered. */
    public Map<String, Object> ok(String method, String path, String body) {
        try {
            HttpResponse<String> r = send(method, path, body);
            assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
            return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGKILL and checks that the process really died of it (exit status 128 + 9). */
    public void kill() throws InterruptedException {
        ProcessHandle handle = process.toHandle();
        assertThat(handle.supportsNormalTermination()).as("SIGTERM/SIGKILL distinction on this OS").isTrue();
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed process exits").isTrue();
        assertThat(handle.isAlive()).isFalse();
        assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    }

    /** Sends SIGTERM and returns the exit code once the server has shut down. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop within 60 s after SIGTERM\n" + logTail());
        }
        return process.exitValue();
    }

    public void ensureDead() {
        if (process.isAlive()) process.destroyForcibly();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
