package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types judged on bytes: the common upload types, text, and anything else as octet-stream. */
class MimeSnifferTest {
    @TempDir
    Path dir;

    private String sniff(byte[] bytes) throws IOException {
        return MimeSniffer.sniff(Files.write(dir.resolve("f" + System.nanoTime()), bytes));
    }

    private String sniff(String text) throws IOException {
        return sniff(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commonTypesByTheirBytes() throws IOException {
        assertThat(sniff("%PDF-1.7\n...")).isEqualTo("application/pdf");
        assertThat(sniff("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ")).isEqualTo("image/webp");
        assertThat(sniff(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'})).isEqualTo("video/mp4");
        assertThat(sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")).isEqualTo("image/svg+xml");
        assertThat(sniff("<?xml version=\"1.0\"?>\n<svg></svg>")).isEqualTo("image/svg+xml");
        assertThat(sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0})).isEqualTo("image/png");
        assertThat(sniff("GIF89a......")).isEqualTo("image/gif");
        assertThat(sniff("plain words, ünïcode")).isEqualTo("text/plain");
        assertThat(sniff(new byte[] {1, 2, 0, 3, (byte) 0xff})).isEqualTo("application/octet-stream");
        assertThat(sniff(new byte[0])).isEqualTo("application/octet-stream");
    }
}
