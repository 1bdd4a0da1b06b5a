package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link FileStorage} must do (local disk here; S3-compatible storage runs the same suite): store and
 * read back every byte, serve byte ranges, replace atomically, list by record, delete idempotently.
 */
public abstract class FileStorageContract {
    @TempDir
    protected Path tmp;

    protected abstract FileStorage storage() throws IOException;

    private Path source(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(tmp, "upload", ".bin");
        Files.write(p, bytes);
        return p;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(FileStorage.Blob b, long offset, long length) throws IOException {
        try (InputStream in = b.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void storedBytesReadBackExactly() throws IOException {
        FileStorage s = storage();
        FileKey key = new FileKey("pbc_posts", "rec000000000001", FileNames.stored("photo.png"));
        byte[] bytes = random(300_000, 1);
        s.put(key, source(bytes));
        FileStorage.Blob blob = s.find(key).orElseThrow();
        assertThat(blob.size()).isEqualTo(bytes.length);
        assertThat(read(blob, 0, bytes.length)).isEqualTo(bytes);
        assertThat(read(blob, 1000, 10)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 1010));
        assertThat(read(blob, bytes.length - 1, 1)).containsExactly(bytes[bytes.length - 1]);
    }

    /** An adopted upload (the storage may take the file itself) reads back whole, whatever becomes of the source. */
    @Test
    void anAdoptedFileReadsBackExactly() throws IOException {
        FileStorage s = storage();
        FileKey key = new FileKey("pbc_posts", "rec000000000002", "adopted_abcdefghij.bin");
        byte[] bytes = random(200_000, 2);
        Path source = source(bytes);
        s.adopt(key, source);
        Files.deleteIfExists(source);
        assertThat(read(s.find(key).orElseThrow(), 0, bytes.length)).isEqualTo(bytes);
        assertThat(s.list("pbc_posts/rec000000000002/")).extracting(FileStorage.Entry::key).containsExactly(key);
    }

    @Test
    void anEmptyFileIsAFile() throws IOException {
        FileStorage s = storage();
        FileKey key = new FileKey("pbc_posts", "rec000000000001", "empty_abcdefghij.txt");
        s.put(key, source(new byte[0]));
        assertThat(s.find(key).orElseThrow().size()).isZero();
    }

    @Test
    void aPutReplacesTheWholeFile() throws IOException {
        FileStorage s = storage();
        FileKey key = new FileKey("pbc_posts", "rec000000000001", "a_abcdefghij.bin");
        s.put(key, source(random(50_000, 2)));
        byte[] second = random(10, 3);
        s.put(key, source(second));
        FileStorage.Blob blob = s.find(key).orElseThrow();
        assertThat(read(blob, 0, blob.size())).isEqualTo(second);
    }

    @Test
    void listingIsByRecordAndDeletingIsIdempotent() throws IOException {
        FileStorage s = storage();
        FileKey a = new FileKey("pbc_posts", "rec000000000001", "a_abcdefghij.txt");
        FileKey b = new FileKey("pbc_posts", "rec000000000001", "b_abcdefghij.txt");
        FileKey c = new FileKey("pbc_posts", "rec000000000002", "c_abcdefghij.txt");
        for (FileKey k : new FileKey[] {a, b, c}) s.put(k, source(random(10, 4)));
        assertThat(s.list(FileKey.prefix("pbc_posts", "rec000000000001"))).extracting(FileStorage.Entry::key)
                .containsExactlyInAnyOrder(a, b);
        assertThat(s.list("")).extracting(FileStorage.Entry::key).containsExactlyInAnyOrder(a, b, c);
        s.delete(a);
        s.delete(a);
        assertThat(s.find(a)).isEmpty();
        assertThat(s.find(b)).isPresent();
        assertThat(s.list("")).extracting(FileStorage.Entry::key).containsExactlyInAnyOrder(b, c);
        assertThat(s.find(new FileKey("pbc_posts", "nosuchrecord000", "x_abcdefghij.txt"))).isEmpty();
    }

    @Test
    void aKeyCannotLeaveItsFolder() {
        for (String bad : new String[] {"..", ".hidden", "a/b", "a\\b", "", "x\u0000y", "../../etc/passwd"}) {
            assertThatThrownBy(() -> new FileKey("pbc_posts", "rec000000000001", bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new FileKey(bad, "rec000000000001", "a.txt")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(FileKey.parse("pbc_posts/rec000000000001/../x")).isNull();
        assertThat(FileKey.parse("pbc_posts/rec000000000001/a.txt")).isEqualTo(new FileKey("pbc_posts", "rec000000000001", "a.txt"));
    }
}
