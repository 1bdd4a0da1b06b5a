package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shared secrets: get-or-create, one value per name for good, kept across a reopen. */
public abstract class SecretsContract extends ContractSupport {

    @Test
    void theFirstValueIsKeptAndTheGeneratorIsNotAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        String first = store.sharedSecret("jwt", () -> "value-" + asked.incrementAndGet());
        assertThat(first).isEqualTo("value-1");
        assertThat(store.sharedSecret("jwt", () -> "value-" + asked.incrementAndGet())).isEqualTo(first);
        assertThat(asked).hasValue(1);
        assertThat(store.sharedSecret("other", () -> "another")).isEqualTo("another");
        assertThat(store.sharedSecret("jwt", () -> "ignored")).isEqualTo(first);
    }

    @Test
    void theValueSurvivesReopening() {
        String first = store.sharedSecret("jwt", () -> "x".repeat(64));
        reopen();
        assertThat(store.sharedSecret("jwt", () -> "y".repeat(64))).isEqualTo(first);
    }

    @Test
    void concurrentCallersAllGetOneValue() {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String mine = "candidate-" + i;
            calls.add(CompletableFuture.supplyAsync(() -> store.sharedSecret("race", () -> mine)));
        }
        List<String> values = calls.stream().map(ContractSupport::join).distinct().toList();
        assertThat(values).hasSize(1);
        assertThat(values.get(0)).startsWith("candidate-");
    }
}
