package dev.nanodb.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.schema.AuthFields;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.lmdb.LmdbStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder whose auth collections were stored before {@code emailVisibility} existed: at start-up
 * ({@link CollectionService#ensureSystem}) each gains the field, keeps its own fields and reads with default options.
 */
class AuthFieldsUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void anOldUsersCollectionGainsEmailVisibilityAtStartUp() {
        try (LmdbStore store = new LmdbStore(dir.resolve("db").toFile(), 1 << 20, 1L << 30, true)) {
            CollectionService collections = new CollectionService(store);
            collections.ensureSystem();
            CollectionDef users = store.collection("users").orElseThrow();
            List<FieldDef> old = users.fields().stream().filter(f -> !f.name().equals(AuthFields.EMAIL_VISIBILITY)).toList();
            store.saveCollection(users.toBuilder().fields(old).build()).join();
            assertThat(store.collection("users").orElseThrow().field(AuthFields.EMAIL_VISIBILITY)).isEmpty();

            collections.ensureSystem();

            CollectionDef upgraded = store.collection("users").orElseThrow();
            assertThat(upgraded.field(AuthFields.EMAIL_VISIBILITY)).isPresent();
            assertThat(upgraded.fields()).hasSize(old.size() + 1).containsAll(old);
            assertThat(upgraded.authOptions()).isEqualTo(AuthOptions.defaults());
        }
    }
}
