package dev.nanodb.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file's type judged on its first bytes, never on the name or the type the client claimed: the JDK's signature
 * table (PNG, GIF, JPEG, BMP, XML, HTML …); else {@code text/plain} for UTF-8 text without NUL bytes; else
 * {@code application/octet-stream}.
 */
final class MimeSniffer {
    private static final int HEAD = 8192;

    private MimeSniffer() {}

    static String sniff(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), HEAD)) {
            String type = URLConnection.guessContentTypeFromStream(in);
            if (type != null) return type;
            in.mark(HEAD);
            byte[] head = in.readNBytes(HEAD);
            return text(head) ? "text/plain" : "application/octet-stream";
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    private static boolean text(byte[] head) {
        if (head.length == 0) return false;
        for (byte b : head) if (b == 0) return false;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, trimmed(head)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The length without a UTF-8 sequence cut at the end of the head. */
    private static int trimmed(byte[] head) {
        int n = head.length;
        for (int i = 1; i <= 3 && n - i >= 0; i++) {
            int b = head[n - i] & 0xFF;
            if (b >= 0xC0) return n - i;
            if (b < 0x80) return n;
        }
        return n;
    }
}
