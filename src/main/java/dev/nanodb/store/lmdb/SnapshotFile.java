package dev.nanodb.store.lmdb;

import dev.nanodb.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks an LMDB data file's two meta pages before LMDB maps it. LMDB trusts the meta page's last page number and
 * maps that far; a truncated file would then be read past its end, which kills the process (SIGBUS) instead of
 * failing. So a file whose metas are not LMDB's, or whose pages end beyond the file, is refused here.
 *
 * <p>Layout read (LMDB 0.9, 64-bit, little-endian): each meta page starts with a 16-byte page header, then
 * {@code mm_magic} (u32, 0xBEEFC0DE), {@code mm_version} (u32), address and map size (2 × u64), two
 * {@code MDB_db} records of 48 bytes (the first one's {@code md_pad} holds the page size), {@code mm_last_pg}
 * (u64) and {@code mm_txnid} (u64). Meta 0 is at offset 0, meta 1 one page further.
 */
final class SnapshotFile {
    private static final int MAGIC = 0xBEEFC0DE;
    private static final int HEADER = 16;
    private static final int PAGE_SIZE_AT = HEADER + 24;
    private static final int LAST_PAGE_AT = HEADER + 24 + 96;

    private SnapshotFile() {}

    /** @throws StoreException.InvalidValue on field {@code "file"} when the file cannot be mapped safely */
    static void requireWhole(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer first = read(ch, 0, LAST_PAGE_AT + 8);
            int pageSize = first == null ? 0 : first.getInt(PAGE_SIZE_AT);
            if (first == null || first.getInt(HEADER) != MAGIC || pageSize < 512 || Integer.bitCount(pageSize) != 1) {
                throw invalid("The file is not a NanoDB backup (not an LMDB data file).");
            }
            ByteBuffer second = read(ch, pageSize, LAST_PAGE_AT + 8);
            if (second == null || second.getInt(HEADER) != MAGIC) throw invalid("The backup is damaged (its second meta page is missing).");
            long lastPage = Math.max(first.getLong(LAST_PAGE_AT), second.getLong(LAST_PAGE_AT));
            if (lastPage < 1 || (lastPage + 1) > length / pageSize) {
                throw invalid("The backup is damaged or truncated (" + length + " bytes, its pages need "
                        + (lastPage + 1) * pageSize + ").");
            }
        } catch (IOException e) {
            throw invalid("The backup file cannot be read.");
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) return null;
        }
        return b;
    }

    private static StoreException invalid(String message) {
        return new StoreException.InvalidValue("file", message);
    }
}
