package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.PgTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A collection this node filled gets analysed without waiting for autovacuum (see {@link Analyzer}). */
class AnalyzerTest {
    private static final String T0 = "2026-01-01T00:00:00.000Z";

    private PostgresStore store;
    private String schema;

    @BeforeEach
    void open() {
        PgTestDatabase.assumeAvailable();
        schema = PgTestDatabase.freshSchema();
        store = new PostgresStore(PgTestDatabase.url(), schema, 2);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void aThousandWritesAreFollowedByAnAnalyze() throws Exception {
        store.saveCollection(new CollectionDef("pbc_analyze0001", "a", CollectionType.BASE, true, false,
                List.of(FieldDef.of("o", FieldType.TEXT).withIndexed(true)), CollectionDef.Rules.SUPERUSERS_ONLY, T0, T0, List.of()))
                .get(30, TimeUnit.SECONDS);
        long before = analyses();
        for (int batch = 0; batch < Analyzer.MIN_CHANGES / 100; batch++) {
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ops.add(new WriteOp.Create("a", new Record(String.format("a%07d%07d", batch, i), T0, T0, 1, Map.of("o", "u" + i % 3))));
            }
            store.write(ops).get(30, TimeUnit.SECONDS);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (analyses() <= before && System.nanoTime() < end) Thread.sleep(50);
        assertThat(analyses()).as("ANALYZE runs on c_pbc_analyze0001 (the collection save made %d)", before).isGreaterThan(before);
    }

    /** Manual ANALYZE runs of the table (autovacuum's are counted apart, in autoanalyze_count). */
    private long analyses() throws Exception {
        DatabaseUrl url = PgTestDatabase.url();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                PreparedStatement p = c.prepareStatement("SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = ? AND relname = ?")) {
            p.setString(1, schema);
            p.setString(2, "c_pbc_analyze0001");
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
