package dev.nanodb.store;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link Store} backend must show, written against the interface and the model types only.
 * A backend's test extends this class and implements {@link #openStore}; each nested group runs its tests
 * against a fresh store per test (the groups live in the {@code *Contract} classes of this package).
 *
 * <p>{@code openStore(dir)} receives a fresh empty folder per test. A backend that keeps its data elsewhere
 * (PostgreSQL: a fresh database per call) may ignore it, but must then override {@link #reopenStore} so that the
 * durability tests reconnect to the data of the store they closed.
 */
public abstract class StoreContract {

    protected abstract Store openStore(Path dir);

    /** Opens again the data of a closed store previously opened with {@code openStore(dir)}. */
    protected Store reopenStore(Path dir) {
        return openStore(dir);
    }

    @Nested
    class Collections extends CollectionsContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Crud extends CrudContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Filters extends FilterContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class SortAndPages extends SortPageContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class RandomModel extends ModelContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Transactions extends TransactionContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class FailureIndexes extends FailureIndexContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Durability extends DurabilityContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Relations extends RelationContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Updates extends UpdateContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class Secrets extends SecretsContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }

    @Nested
    class CompositeIndexes extends CompositeIndexContract {
        @Override
        protected Store openStore(Path dir) {
            return StoreContract.this.openStore(dir);
        }

        @Override
        protected Store reopenStore(Path dir) {
            return StoreContract.this.reopenStore(dir);
        }
    }
}
