package dev.nanodb.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.ChildServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index declared on a collection whose records outweigh the heap is built without holding them: 40,000
 * records of 4 KB (160 MB) get a composite index from a server whose heap is 128 MB, which answers, stays up and
 * serves the list the index is for; removing the 4 KB field then rewrites every record the same way. (Building from a list of every decoded record ended the server with an
 * {@code OutOfMemoryError}, as the benchmark found at 100,000 records and 40 MB.)
 */
class IndexBuildMemoryTest {
    private static final int RECORDS = 40_000;
    private static final String T = "2026-01-01 00:00:00.000Z";

    @TempDir
    Path work;

    @Test
    void anIndexOverMoreDataThanTheHeapIsBuiltAndServes() throws Exception {
        Path data = work.resolve("data");
        String body = "x".repeat(4096);
        try (LmdbStore store = new LmdbStore(data.toFile(), 1 << 20, 1L << 31, true)) {
            store.saveCollection(CollectionDef.builder("pbc_big00000001", "big", CollectionType.BASE)
                    .fields(List.of(FieldDef.of("status", FieldType.TEXT), FieldDef.of("owner", FieldType.TEXT),
                            FieldDef.of("body", FieldType.TEXT)))
                    .at(T).build()).join();
            for (int batch = 0; batch < RECORDS / 1000; batch++) {
                List<WriteOp> ops = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    ops.add(new WriteOp.Create("big", new Record(String.format("b%014d", n), T, T, 1,
                            Map.of("status", "s" + n % 10, "owner", "o" + n % 3, "body", body))));
                }
                store.write(ops).join();
            }
        }
        ChildServer server = ChildServer.start(work, data, "index-build");
        try {
            HttpResponse<String> patched = server.send("PATCH", "/api/collections/big",
                    "{\"indexes\":[\"CREATE INDEX idx_so ON big (status, owner)\"]}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            HttpResponse<String> page = server.send("GET",
                    "/api/collections/big/records?perPage=1&fields=id&filter=status%3D%22s3%22%26%26owner%3D%22o1%22", null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("\"totalItems\":" + expected());
            HttpResponse<String> dropped = server.send("PATCH", "/api/collections/big", "{\"fields\":["
                    + "{\"name\":\"status\",\"type\":\"text\"},{\"name\":\"owner\",\"type\":\"text\"}]}");
            assertThat(dropped.statusCode()).as("removing the 4 KB field rewrites every record: %s", dropped.body()).isEqualTo(200);
            HttpResponse<String> one = server.send("GET", "/api/collections/big/records/b00000000039999", null);
            assertThat(one.body()).contains("\"owner\":\"o0\"").doesNotContain("\"body\"");
            assertThat(server.stop()).as("a clean stop after the build\n%s", server.logTail()).isZero();
        } finally {
            server.ensureDead();
        }
    }

    private static int expected() {
        int n = 0;
        for (int i = 0; i < RECORDS; i++) {
            if (i % 10 == 3 && i % 3 == 1) n++;
        }
        return n;
    }
}
