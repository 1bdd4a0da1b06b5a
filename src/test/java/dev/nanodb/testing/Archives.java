package dev.nanodb.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Reads and writes zip archives for backup tests: entries of a backup, hostile archives made by hand. */
public final class Archives {
    private Archives() {}

    /** The names of an archive's entries, in order. */
    public static List<String> names(Path zip) throws IOException {
        List<String> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) out.add(e.getName());
        }
        return out;
    }

    /** The bytes of the entry {@code name}. */
    public static byte[] entry(Path zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) return in.readAllBytes();
            }
        }
        throw new AssertionError("no entry " + name + " in " + zip);
    }

    /** An archive of the given entries (name → bytes, in the map's order). */
    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Adds an entry of {@code size} zero bytes, streamed (a zip bomb's content). */
    public static void zeros(ZipOutputStream out, String name, long size) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) out.write(chunk, 0, (int) Math.min(chunk.length, left));
        out.closeEntry();
    }
}
