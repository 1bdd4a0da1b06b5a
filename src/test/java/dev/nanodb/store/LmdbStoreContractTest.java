package dev.nanodb.store;

import dev.nanodb.store.lmdb.LmdbStore;
import java.nio.file.Path;

/** The store contract against the embedded LMDB backend, starting from a 1 MiB map so that growth is exercised. */
class LmdbStoreContractTest extends StoreContract {
    @Override
    protected Store openStore(Path dir) {
        return new LmdbStore(dir.toFile(), 1 << 20, 1L << 34, true);
    }
}
