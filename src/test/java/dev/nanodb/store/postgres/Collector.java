package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A change log sink for tests: records every batch a listener delivers. Thread-safe. */
final class Collector implements Consumer<List<ChangeLog.Row>> {
    private final List<List<ChangeLog.Row>> batches = new ArrayList<>();

    @Override
    public synchronized void accept(List<ChangeLog.Row> batch) {
        batches.add(batch);
    }

    synchronized List<List<ChangeLog.Row>> batches() {
        return List.copyOf(batches);
    }

    synchronized List<ChangeLog.Row> rows() {
        return batches.stream().flatMap(List::stream).toList();
    }

    synchronized int rowCount() {
        return batches.stream().mapToInt(List::size).sum();
    }

    /** Seqs strictly increase across all deliveries (so none came twice) and each batch is exactly one transaction. */
    static void assertInSeqOrderOneTransactionPerBatch(List<List<ChangeLog.Row>> batches) {
        long last = 0;
        Set<Long> txids = new HashSet<>();
        for (List<ChangeLog.Row> batch : batches) {
            assertThat(batch).isNotEmpty();
            assertThat(txids.add(batch.get(0).txid())).as("a transaction is delivered in one batch").isTrue();
            for (ChangeLog.Row r : batch) {
                assertThat(r.txid()).isEqualTo(batch.get(0).txid());
                assertThat(r.seq()).isGreaterThan(last);
                last = r.seq();
            }
        }
    }
}
