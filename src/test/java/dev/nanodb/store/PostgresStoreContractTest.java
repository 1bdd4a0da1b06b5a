package dev.nanodb.store;

import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.PgTestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract against PostgreSQL: one fresh database per run, one fresh schema per store. A reopened
 * store finds the schema of the folder it was first opened for.
 */
class PostgresStoreContractTest extends StoreContract {
    private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();

    @BeforeAll
    static void server() {
        PgTestDatabase.assumeAvailable();
    }

    @Override
    protected Store openStore(Path dir) {
        String schema = PgTestDatabase.freshSchema();
        SCHEMAS.put(dir, schema);
        return new PostgresStore(PgTestDatabase.url(), schema, 4);
    }

    @Override
    protected Store reopenStore(Path dir) {
        return new PostgresStore(PgTestDatabase.url(), SCHEMAS.get(dir), 4);
    }
}
