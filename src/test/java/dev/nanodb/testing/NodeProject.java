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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node project of {@code src/test} (the PocketBase SDK tests of {@code src/test/e2e}, the dashboard's browser tests
 * of {@code src/test/browser}), installed for a test run, and the scripts run from it.
 *
 * <p>The project is copied to a folder under {@code target/} and installed there with {@code npm ci}, so the source
 * tree never gets a {@code node_modules} and {@code mvn clean} resets everything. The install is skipped while the
 * lock file is unchanged since the last one. Without Node the calling test is skipped with a loud message, unless
 * {@code NANODB_REQUIRE_NODE=1} (CI) makes a missing Node a failure.
 */
public final class NodeProject {
    private static final long TIMEOUT_SECONDS = 300;
    /** Put on a script's line queue at the end of its output (compared by identity). */
    private static final String END = new String("end of output");

    private final Path source;
    private final Path work;
    private final Path node;
    private final List<String> tests;

    private NodeProject(Path source, Path work, Path node, List<String> tests) {
        this.source = source;
        this.work = work;
        this.node = node;
        this.tests = tests;
    }

    /** The PocketBase SDK project: {@code src/test/e2e}, installed in {@code target/e2e-sdk}. */
    public static NodeProject install() throws IOException, InterruptedException {
        return install(Path.of("src", "test", "e2e"), Path.of("target", "e2e-sdk"), "pocketbase");
    }

    /**
     * Copies the Node project of {@code source} into {@code work} and installs its locked dependencies when they
     * changed; {@code marker} is a package the install must produce (its folder shows node_modules is really there).
     */
    public static NodeProject install(Path source, Path work, String marker) throws IOException, InterruptedException {
        NodeProject p = installProject(source, work, marker);
        assertThat(p.tests).as("test files in %s", source).isNotEmpty();
        return p;
    }

    /** As {@link #install(Path, Path, String)}, for a project that only provides a program (no tests of its own). */
    public static NodeProject installTool(Path source, Path work, String marker) throws IOException, InterruptedException {
        return installProject(source, work, marker);
    }

    private static NodeProject installProject(Path source, Path work, String marker) throws IOException, InterruptedException {
        Path node = executable("node", source);
        Path npm = executable("npm", source);
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> scripts;
        try (Stream<Path> files = Files.list(source)) {
            scripts = files.filter(f -> f.getFileName().toString().endsWith(".mjs")).sorted().toList();
        }
        // Copied rather than run in place: an ES module resolves its packages from the node_modules next to it.
        for (Path s : scripts) Files.copy(s, work.resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        List<String> tests = scripts.stream().map(s -> s.getFileName().toString()).filter(n -> n.endsWith(".test.mjs")).toList();

        // The lock file of the last successful npm ci: when it equals the source lock, the install is current.
        Path installedLock = work.resolve(".installed-package-lock.json");
        byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
        boolean current = Files.isDirectory(work.resolve("node_modules").resolve(marker))
                && Files.exists(installedLock) && Arrays.equals(lock, Files.readAllBytes(installedLock));
        NodeProject project = new NodeProject(source, work, node, tests);
        if (!current) {
            Files.deleteIfExists(installedLock);
            Run install = project.run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Map.of());
            assertThat(install.exit()).as("npm ci in %s failed; its output:%n%s", work, install.output()).isZero();
            Files.write(installedLock, lock);
        }
        return project;
    }

    /**
     * Runs the project's {@code *.test.mjs} files with {@code node --test} (TAP output, kept in
     * {@code node-test.log} of the work folder) and fails unless the run exits 0 and its summary counts some
     * passing tests and no failure — exit 0 alone would also pass a run that found no test.
     */
    public Run test(Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(node.toString(), "--test", "--test-reporter=tap"));
        command.addAll(tests);
        Run run = run(command, env);
        Files.writeString(work.resolve("node-test.log"), run.output());
        assertThat(run.exit()).as("node --test in %s failed; its output:%n%s", source, run.output()).isZero();
        assertThat(run.output()).as("node --test summary; its output:%n%s", run.output())
                .containsPattern("(?m)^# pass [1-9]").containsPattern("(?m)^# fail 0$");
        return run;
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

    /** Runs a command in the work folder with stdout and stderr merged and no input; a run past the timeout fails. */
    public Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        try (Script script = start(command, env)) {
            return script.finish();
        }
    }

    /** Starts a command in the work folder with stdout and stderr merged, for a conversation over its lines. */
    public Script start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
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
    private static Path executable(String name, Path source) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return skipOrFail("NANODB_REQUIRE_NODE", "'" + name + "' is not on PATH. Install Node.js 20+ (with npm) to run the "
                + "tests of " + source.toString().replace(File.separatorChar, '/') + ".");
    }

    /**
     * Skips the calling test with a banner on stderr (a silent skip would look like a pass), or fails it when the
     * environment variable {@code require} is 1, as {@code .ci/run} sets it.
     */
    public static <T> T skipOrFail(String require, String reason) {
        String message = "end-to-end tests NOT RUN: " + reason;
        if ("1".equals(System.getenv(require))) fail(message + " " + require + "=1 requires them.");
        System.err.println("\n" + "!".repeat(100) + "\n!!! " + message + "\n" + "!".repeat(100) + "\n");
        return Assumptions.abort(message);
    }
}
