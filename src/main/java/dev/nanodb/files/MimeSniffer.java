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
 * A file's type judged on its first bytes, never on the name or the type the client claimed: PDF, WebP, MP4/MOV and
 * SVG by their signatures, then the JDK's signature table (PNG, GIF, JPEG, BMP, XML, HTML …); else
 * {@code text/plain} for UTF-8 text without NUL bytes; else {@code application/octet-stream}. (Apache Tika knows
 * many more, but its type registry costs megabytes of a heap budgeted at 40 MB; the common upload types are here.)
 */
final class MimeSniffer {
    private static final int HEAD = 8192;

    private MimeSniffer() {}

    static String sniff(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), HEAD)) {
            in.mark(HEAD);
            byte[] head = in.readNBytes(HEAD);
            in.reset();
            String type = signature(head);
            if (type != null) return type;
            type = URLConnection.guessContentTypeFromStream(in);
            if (type != null) return type;
            return text(head) ? "text/plain" : "application/octet-stream";
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    private static String signature(byte[] h) {
        if (starts(h, 0, "%PDF-")) return "application/pdf";
        if (starts(h, 0, "RIFF") && starts(h, 8, "WEBP")) return "image/webp";
        if (starts(h, 4, "ftypqt")) return "video/quicktime";
        if (starts(h, 4, "ftyp")) return "video/mp4";
        if (text(h)) {
            String t = new String(h, StandardCharsets.UTF_8).stripLeading().toLowerCase(java.util.Locale.ROOT);
            if (t.startsWith("<svg") || (t.startsWith("<?xml") || t.startsWith("<!doctype svg")) && t.contains("<svg")) {
                return "image/svg+xml";
            }
        }
        return null;
    }

    private static boolean starts(byte[] h, int at, String ascii) {
        if (h.length < at + ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) if (h[at + i] != (byte) ascii.charAt(i)) return false;
        return true;
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
