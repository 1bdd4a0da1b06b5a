package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.store.lmdb.LmdbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep removes exactly the old files no committed record names — of a record that does not name them, of a
 * deleted record, of a deleted collection — and keeps named files and young ones (a write in flight). Removals wait
 * while a hold is open (a backup or restore) and then spare a file a record names again (a restore brought it back).
 */
class FileSweepTest {
    @TempDir
    Path dir;

    @Test
    void removesOldUnnamedFilesOnly() throws Exception {
        try (LmdbStore store = new LmdbStore(dir.resolve("db").toFile(), 1 << 20, 1L << 30, true)) {
            CollectionDef docs = docs(store);
            createNaming(store, "kept_abcdefghij.txt");
            LocalFileStorage storage = new LocalFileStorage(dir.resolve("storage"));
            Path src = Files.writeString(dir.resolve("src.txt"), "x");
            FileKey kept = new FileKey(docs.id(), "rec000000000001", "kept_abcdefghij.txt");
            FileKey unnamed = new FileKey(docs.id(), "rec000000000001", "lost_abcdefghij.txt");
            FileKey young = new FileKey(docs.id(), "rec000000000001", "young_abcdefghij.txt");
            FileKey noRecord = new FileKey(docs.id(), "rec000000000009", "gone_abcdefghij.txt");
            FileKey noCollection = new FileKey("pbc_nosuch000000", "rec000000000001", "gone_abcdefghij.txt");
            for (FileKey k : List.of(kept, unnamed, young, noRecord, noCollection)) {
                storage.put(k, src);
                if (k != young) age(dir.resolve("storage").resolve(k.toString()));
            }
            FileService files = new FileService(storage, store);
            assertThat(files.sweep(Instant.now().minusSeconds(3600))).isEqualTo(3);
            assertThat(storage.list("")).extracting(FileStorage.Entry::key).containsExactlyInAnyOrder(kept, young);
            files.close();
        }
    }

    @Test
    void removalsWaitForTheHoldAndSpareAFileARecordNamesAgain() throws Exception {
        try (LmdbStore store = new LmdbStore(dir.resolve("db").toFile(), 1 << 20, 1L << 30, true)) {
            CollectionDef docs = docs(store);
            LocalFileStorage storage = new LocalFileStorage(dir.resolve("storage"));
            Path src = Files.writeString(dir.resolve("src.txt"), "x");
            FileKey restored = new FileKey(docs.id(), "rec000000000001", "back_abcdefghij.txt");
            FileKey unnamed = new FileKey(docs.id(), "rec000000000001", "lost_abcdefghij.txt");
            for (FileKey k : List.of(restored, unnamed)) {
                storage.put(k, src);
                age(dir.resolve("storage").resolve(k.toString()));
            }
            try (FileService files = new FileService(storage, store)) {
                FileService.Hold hold = files.holdRemovals();
                files.removeAfterCommit(docs, "rec000000000001", List.of(restored.name(), unnamed.name()));
                assertThat(files.sweep(Instant.now())).as("a sweep during a hold removes nothing").isZero();
                Thread.sleep(200);
                assertThat(storage.list("")).as("nothing removed while held").hasSize(2);
                createNaming(store, restored.name());
                hold.close();
                for (int i = 0; i < 100 && storage.list("").size() > 1; i++) Thread.sleep(20);
                assertThat(storage.list("")).extracting(FileStorage.Entry::key).containsExactly(restored);
            }
        }
    }

    private static CollectionDef docs(LmdbStore store) {
        return store.saveCollection(CollectionDef.builder("pbc_docs00000000", "docs", CollectionType.BASE)
                .fields(List.of(FieldDef.builder("files", FieldType.FILE).maxSelect(5).build()))
                .rules(CollectionDef.Rules.SUPERUSERS_ONLY).created("2026-12-07 00:00:00.000Z")
                .updated("2026-12-07 00:00:00.000Z").build()).join();
    }

    private static void createNaming(LmdbStore store, String name) {
        String t = "2026-12-07 00:00:00.000Z";
        store.write(List.of(new WriteOp.Create("docs", new Record("rec000000000001", t, t, 1,
                Map.of("files", List.of(name)))))).join();
    }

    private static void age(Path p) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(7200)));
    }
}
