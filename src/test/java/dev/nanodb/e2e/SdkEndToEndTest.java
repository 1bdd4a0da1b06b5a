package dev.nanodb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nanodb.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the PocketBase SDK tests of {@code src/test/e2e} ({@code node --test}) against a real server.
 *
 * <p>The Node project is copied to {@code target/e2e-sdk} and installed there with {@code npm ci}, so the
 * source tree never gets a {@code node_modules} and {@code mvn clean} resets everything. The install is
 * skipped while the lock file is unchanged since the last one. Without Node the test is skipped with a loud
 * message, unless {@code NANODB_REQUIRE_NODE=1} (CI) makes a missing Node a failure.
 */
class SdkEndToEndTest {
    private static final Path SOURCE = Path.of("src", "test", "e2e");
    private static final Path WORK = Path.of("target", "e2e-sdk");
    /** The lock file of the last successful {@code npm ci}: when it equals the source lock, the install is current. */
    private static final Path INSTALLED_LOCK = WORK.resolve(".installed-package-lock.json");
    private static final long TIMEOUT_SECONDS = 180;

    @Test
    void pocketBaseSdkSeesOnlyOwnRowsThroughRealRoutes() throws Exception {
        Path node = executable("node");
        Path npm = executable("npm");
        List<Path> tests = prepare(npm);
        try (TestServer server = TestServer.start()) {
            List<String> command = new ArrayList<>(List.of(node.toString(), "--test", "--test-reporter=tap"));
            tests.forEach(t -> command.add(t.getFileName().toString()));
            Run run = run(command, Map.of("NANODB_URL", server.baseUrl(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
            Files.writeString(WORK.resolve("node-test.log"), run.output());
            assertThat(run.exit()).as("node --test failed; its output:%n%s", run.output()).isZero();
            // Exit 0 alone would also pass a run that found no test: TAP's summary must count some, none failed.
            assertThat(run.output()).as("node --test summary; its output:%n%s", run.output())
                    .containsPattern("(?m)^# pass [1-9]").containsPattern("(?m)^# fail 0$");
        }
    }

    /** Copies the Node project into {@link #WORK} and installs its locked dependencies when they changed. */
    private static List<Path> prepare(Path npm) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> tests;
        try (Stream<Path> files = Files.list(SOURCE)) {
            tests = files.filter(f -> f.getFileName().toString().endsWith(".test.mjs")).sorted().toList();
        }
        assertThat(tests).as("test files in %s", SOURCE).isNotEmpty();
        // Copied rather than run in place: an ES module resolves 'pocketbase' from the node_modules next to it.
        for (Path t : tests) Files.copy(t, WORK.resolve(t.getFileName()), StandardCopyOption.REPLACE_EXISTING);

        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        boolean current = Files.isDirectory(WORK.resolve("node_modules").resolve("pocketbase"))
                && Files.exists(INSTALLED_LOCK) && Arrays.equals(lock, Files.readAllBytes(INSTALLED_LOCK));
        if (!current) {
            Files.deleteIfExists(INSTALLED_LOCK);
            Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exit()).as("npm ci in %s failed; its output:%n%s", WORK, install.output()).isZero();
            Files.write(INSTALLED_LOCK, lock);
        }
        return tests;
    }

    private record Run(int exit, String output) {}

    /** Runs a command in {@link #WORK} with stdout and stderr merged; a run past the timeout is killed and fails. */
    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // Read on another thread so that a chatty child can never block on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s; its output:\n"
                    + output.getNow("(unavailable)"));
        }
        return new Run(p.exitValue(), output.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /**
     * The named program from {@code PATH}. When it is missing the test is skipped, loudly, since a silent
     * skip would look like a pass; with {@code NANODB_REQUIRE_NODE=1} it fails instead.
     */
    private static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        String message = "SDK end-to-end tests NOT RUN: '" + name + "' is not on PATH. Install Node.js 20+ "
                + "(with npm) to run the PocketBase SDK tests of src/test/e2e.";
        if ("1".equals(System.getenv("NANODB_REQUIRE_NODE"))) fail(message + " NANODB_REQUIRE_NODE=1 requires them.");
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        return Assumptions.abort(message);
    }
}
