package dev.nanodb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node project of {@code src/test/e2e} (the official PocketBase SDK and the scripts that use it), installed for
 * a test run, and the scripts run from it.
 *
 * <p>The project is copied to {@code target/e2e-sdk} and installed there with {@code npm ci}, so the source tree
 * never gets a {@code node_modules} and {@code mvn clean} resets everything. The install is skipped while the lock
 * file is unchanged since the last one. Without Node the calling test is skipped with a loud message, unless
 * {@code NANODB_REQUIRE_NODE=1} (CI) makes a missing Node a failure.
 */
public final class NodeProject {
    private static final Path SOURCE = Path.of("src", "test", "e2e");
    public static final Path WORK = Path.of("target", "e2e-sdk");
    /** The lock file of the last successful {@code npm ci}: when it equals the source lock, the install is current. */
    private static final Path INSTALLED_LOCK = WORK.resolve(".installed-package-lock.json");
    private static final long TIMEOUT_SECONDS = 180;
    /** Put on a script's line queue at the end of its output (compared by identity). */
    private static final String END = new String("end of output");

    private final Path node;
    private final List<String> tests;

    private NodeProject(Path node, List<String> tests) {
        this.node = node;
        this.tests = tests;
    }

    /** Copies the Node project into {@link #WORK} and installs its locked dependencies when they changed. */
    public static NodeProject install() throws IOException, InterruptedException {
        Path node = executable("node");
        Path npm = executable("npm");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SOURCE)) {
            scripts = files.filter(f -> f.getFileName().toString().endsWith(".mjs")).sorted().toList();
        }
        // Copied rather than run in place: an ES module resolves 'pocketbase' from the node_modules next to it.
        for (Path s : scripts) Files.copy(s, WORK.resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        List<String> tests = scripts.stream().map(s -> s.getFileName().toString()).filter(n -> n.endsWith(".test.mjs")).toList();
        assertThat(tests).as("test files in %s", SOURCE).isNotEmpty();

        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        boolean current = Files.isDirectory(WORK.resolve("node_modules").resolve("pocketbase"))
                && Files.exists(INSTALLED_LOCK) && Arrays.equals(lock, Files.readAllBytes(INSTALLED_LOCK));
        if (!current) {
            Files.deleteIfExists(INSTALLED_LOCK);
            Run install = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exit()).as("npm ci in %s failed; its output:%n%s", WORK, install.output()).isZero();
            Files.write(INSTALLED_LOCK, lock);
        }
        return new NodeProject(node, tests);
    }

    /** The {@code node} executable. */
    public Path node() {
        return node;
    }

    /** The file names of the project's {@code node --test} files ({@code *.test.mjs}). */
    public List<String> tests() {
        return tests;
    }

    public record Run(int exit, String output) {}

    /** Runs a command in {@link #WORK} with stdout and stderr merged and no input; a run past the timeout fails. */
    public static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        try (Script script = start(command, env)) {
            return script.finish();
        }
    }

    /** Starts a command in {@link #WORK} with stdout and stderr merged, for a conversation over its lines. */
    public static Script start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new Script(command, pb.start());
    }

    /**
     * A running command: its output is read line by line on a thread of its own (so that a chatty child can never
     * block on a full pipe), kept whole for {@link #finish()}, and offered to {@link #awaitLine} as it arrives.
     */
    public static final class Script implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Writer input;
        private final StringBuffer output = new StringBuffer();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);

        private Script(List<String> command, Process process) {
            this.name = String.join(" ", command);
            this.process = process;
            this.input = process.outputWriter(StandardCharsets.UTF_8);
            this.reader = Thread.ofPlatform().daemon().name("node-output").start(this::read);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e).append(")\n");
            } finally {
                lines.add(END);
            }
        }

        /** Waits for the line {@code expected}; fails, showing the output so far, if the command ends or times out first. */
        public void awaitLine(String expected) throws InterruptedException {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) fail(name + " did not print '" + expected + "' within " + TIMEOUT_SECONDS + " s; its output:\n" + output);
                if (line == END) fail(name + " ended without printing '" + expected + "'; its output:\n" + output);
                if (line.equals(expected)) return;
            }
        }

        /** Writes one line to the command's input. */
        public void send(String line) throws IOException {
            input.write(line + "\n");
            input.flush();
        }

        /** Closes the command's input and waits for it to exit; a command still running at the timeout is killed and fails. */
        public Run finish() throws IOException, InterruptedException {
            input.close();
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                close();
                fail(name + " did not finish within " + TIMEOUT_SECONDS + " s; its output:\n" + output);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return new Run(process.exitValue(), output.toString());
        }

        /** Kills the command and its children if they are still running. */
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
