package dev.nanodb.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/nanodb}'s start-up cache belongs to the exact jar it was recorded with: a rebuilt jar records a new one
 * and the old one is removed, instead of the JVM refusing the stale cache without a word on every later start.
 * Runs the real script in a copy of the project layout whose jar is a small program (so no server starts).
 */
class StartCacheScriptTest {
    @TempDir
    Path root;

    @Test
    void aRebuiltJarRecordsANewCacheAndTheStaleOneIsRemoved() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("nanodb", "jdk.sh")) {
            Path copy = Files.copy(Path.of("bin", script), bin.resolve(script));
            copy.toFile().setExecutable(true);
        }
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(root.resolve("pom.xml"), old);
        Files.setLastModifiedTime(root.resolve("src/main"), old);
        Path jar = root.resolve("target/nanodb.jar");
        writeJar(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        assertThat(run()).contains("hello from the jar");
        List<Path> first = caches();
        assertThat(first).hasSize(1);
        assertThat(Files.size(first.getFirst())).isPositive();
        assertThat(run()).contains("hello from the jar");
        assertThat(caches()).as("a second start uses the cache it recorded").isEqualTo(first);

        writeJar(jar, FileTime.fromMillis(System.currentTimeMillis()));
        assertThat(run()).contains("hello from the jar");
        List<Path> second = caches();
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".startcache")).sorted().toList();
        }
    }

    private String run() throws Exception {
        Process p = new ProcessBuilder(root.resolve("bin/nanodb").toString(), "serve").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** A jar whose main class prints a line, compiled from source by the JDK running the test. */
    private void writeJar(Path jar, FileTime modified) throws Exception {
        Path src = Files.createDirectories(root.resolve("hello"));
        Files.writeString(src.resolve("Hello.java"), "public class Hello { public static void main(String[] a) {"
                + " System.out.println(\"hello from the jar\"); } }");
        var compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, "-d", src.toString(), src.resolve("Hello.java").toString())).isZero();
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("Hello.class"));
            j.write(Files.readAllBytes(src.resolve("Hello.class")));
            j.putNextEntry(new JarEntry("padding-" + modified.toMillis()));
            j.closeEntry();
        }
        Files.setLastModifiedTime(jar, modified);
    }
}
