package dev.nanodb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * A Node project of {@code src/test} run with {@code node --test} from a JUnit test: it is copied to a folder
 * under {@code target/} and installed there with {@code npm ci}, so the source tree never gets a
 * {@code node_modules} and {@code mvn clean} resets everything. The install is skipped while the lock file is
 * unchanged since the last one. Without Node the test is skipped with a loud message, unless
 * {@code NANODB_REQUIRE_NODE=1} (CI) makes a missing Node a failure.
 */
final class NodeProject {
    private final Path source;
    private final Path work;
    /** A package the install must have produced: its folder tells that {@code node_modules} is really there. */
    private final String marker;
    private final long timeoutSeconds;

    NodeProject(Path source, Path work, String marker, long timeoutSeconds) {
        this.source = source;
        this.work = work;
        this.marker = marker;
        this.timeoutSeconds = timeoutSeconds;
    }

    record Run(int exit, String output) {}

    Path work() {
        return work;
    }

    /**
     * Installs the project (when needed) and runs its {@code *.test.mjs} files with {@code node --test}; fails
     * unless the run exits 0 and its TAP summary counts some passing tests and no failure.
     */
    Run test(Map<String, String> env) throws IOException, InterruptedException {
        Path node = executable("node");
        Path npm = executable("npm");
        List<Path> tests = prepare(npm);
        List<String> command = new ArrayList<>(List.of(node.toString(), "--test", "--test-reporter=tap"));
        tests.forEach(t -> command.add(t.getFileName().toString()));
        Run run = run(command, env);
        Files.writeString(work.resolve("node-test.log"), run.output());
        assertThat(run.exit()).as("node --test failed; its output:%n%s", run.output()).isZero();
        // Exit 0 alone would also pass a run that found no test: TAP's summary must count some, none failed.
        assertThat(run.output()).as("node --test summary; its output:%n%s", run.output())
                .containsPattern("(?m)^# pass [1-9]").containsPattern("(?m)^# fail 0$");
        return run;
    }

    /** Copies the Node project into the work folder and installs its locked dependencies when they changed. */
    private List<Path> prepare(Path npm) throws IOException, InterruptedException {
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> tests;
        List<Path> modules;
        try (Stream<Path> files = Files.list(source)) {
            modules = files.filter(f -> f.getFileName().toString().endsWith(".mjs")).sorted().toList();
        }
        tests = modules.stream().filter(f -> f.getFileName().toString().endsWith(".test.mjs")).toList();
        assertThat(tests).as("test files in %s", source).isNotEmpty();
        // Copied rather than run in place: an ES module resolves its packages from the node_modules next to it.
        for (Path m : modules) Files.copy(m, work.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);

        Path installedLock = work.resolve(".installed-package-lock.json");
        byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
        boolean current = Files.isDirectory(work.resolve("node_modules").resolve(marker))
                && Files.exists(installedLock) && Arrays.equals(lock, Files.readAllBytes(installedLock));
        if (!current) {
            Files.deleteIfExists(installedLock);
            Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exit()).as("npm ci in %s failed; its output:%n%s", work, install.output()).isZero();
            Files.write(installedLock, lock);
        }
        return tests;
    }

    /** Runs a command in the work folder with stdout and stderr merged; a run past the timeout is killed and fails. */
    private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // Read on another thread so that a chatty child can never block on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; its output:\n"
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
    private Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return skipOrFail("NANODB_REQUIRE_NODE", "'" + name + "' is not on PATH. Install Node.js 20+ (with npm) to run "
                + "the tests of " + source.toString().replace(File.separatorChar, '/') + ".");
    }

    /**
     * Skips the calling test with a banner on stderr (a silent skip would look like a pass), or fails it when
     * the environment variable {@code require} is 1, as CI sets it.
     */
    static <T> T skipOrFail(String require, String reason) {
        String message = "end-to-end tests NOT RUN: " + reason;
        if ("1".equals(System.getenv(require))) fail(message + " " + require + "=1 requires them.");
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        return Assumptions.abort(message);
    }
}
