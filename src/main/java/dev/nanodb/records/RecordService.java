package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The records use cases shared by every entry point (single routes today, batch and realtime later): validate,
 * stamp system fields, and hand atomic writes to the store.
 *
 * <p>Updates merge and validate inside the store's write transaction ({@link WriteOp.Update}), so a concurrent
 * writer is never the client's conflict; only a stale {@code _expectedVersion} is answered with 409.
 */
public final class RecordService {
    private final Store store;
    private final boolean autoCollections;

    public RecordService(Store store, boolean autoCollections) {
        this.store = store;
        this.autoCollections = autoCollections;
    }

    public Store store() {
        return store;
    }

    public CollectionDef collection(String name) {
        return store.collection(name).orElseThrow(() -> ApiException.notFound("Missing collection context."));
    }

    public Record view(CollectionDef c, String id) {
        if (!Ids.valid(id)) throw ApiException.notFound("The requested resource wasn't found.");
        return store.get(c.name(), id).orElseThrow(() -> ApiException.notFound("The requested resource wasn't found."));
    }

    public Page list(Query q) {
        return store.query(q);
    }

    /** Creates a record, creating its collection first (schemaless, seed rules) when it does not exist. */
    public CompletableFuture<Record> create(String collection, Map<String, Object> body) {
        return resolveForWrite(collection).thenCompose(c -> {
            checkWritable(c);
            Object rawId = body.get("id");
            String id;
            if (rawId == null || "".equals(rawId)) {
                id = Ids.newId();
            } else if (rawId instanceof String s && Ids.valid(s)) {
                id = s;
            } else {
                throw ApiException.invalidField("id", "validation_invalid_id", "Must be 15 characters of a-z and 0-9.");
            }
            Map<String, Object> data = RecordValidator.validate(c, body, true);
            String now = Times.now();
            Record r = new Record(id, now, now, 1, data);
            return writeOne(new WriteOp.Create(c.name(), r));
        });
    }

    /**
     * Merges {@code body} into the stored record and validates the result inside the store's write
     * transaction, so concurrent updates of one record are applied one after the other and never fail each
     * other; only a stale {@code _expectedVersion} is a conflict.
     */
    public CompletableFuture<Record> update(CollectionDef c, String id, Map<String, Object> body) {
        checkWritable(c);
        Long expected = version(body.get("_expectedVersion"), "_expectedVersion");
        if (!Ids.valid(id)) throw ApiException.notFound("The requested resource wasn't found.");
        return writeOne(new WriteOp.Update(c.name(), id, expected, current -> {
            Map<String, Object> merged = new LinkedHashMap<>(current.data());
            merged.putAll(body);
            Map<String, Object> data = RecordValidator.validate(c, merged, false);
            return current.withData(data, later(current.updated()), current.version() + 1);
        }));
    }

    public CompletableFuture<Record> delete(CollectionDef c, String id, Long expectedVersion) {
        checkWritable(c);
        if (!Ids.valid(id)) throw ApiException.notFound("The requested resource wasn't found.");
        return writeOne(new WriteOp.Delete(c.name(), id, expectedVersion));
    }

    /** Parses a version number given by a client (body field or query parameter); null when absent. */
    public static Long version(Object raw, String field) {
        if (raw == null || "".equals(raw)) return null;
        if (raw instanceof Long l) return l;
        if (raw instanceof String s && s.matches("\\d{1,18}")) return Long.parseLong(s);
        throw ApiException.invalidField(field, "validation_invalid_version", "Must be a whole number.");
    }

    /** An {@code updated} stamp that never goes backwards, even if the clock does. */
    private static String later(String previous) {
        String now = Times.now();
        return now.compareTo(previous) > 0 ? now : previous;
    }

    private void checkWritable(CollectionDef c) {
        if (c.type() == CollectionType.AUTH) {
            throw new ApiException(403, "Records of auth collections are managed through the auth routes.");
        }
    }

    private CompletableFuture<Record> writeOne(WriteOp op) {
        return store.write(List.of(op)).thenApply(changes -> changes.get(0)).thenApply(Change::record);
    }

    private CompletableFuture<CollectionDef> resolveForWrite(String name) {
        var existing = store.collection(name);
        if (existing.isPresent()) return CompletableFuture.completedFuture(existing.get());
        if (!autoCollections) return CompletableFuture.failedFuture(ApiException.notFound("Missing collection context."));
        CollectionDef def = SystemCollections.autoCreated(name, Times.now());
        return store.saveCollection(def).exceptionallyCompose(t -> {
            if (unwrap(t) instanceof StoreException.UniqueViolation) {
                return CompletableFuture.completedFuture(collection(name));
            }
            return CompletableFuture.failedFuture(unwrap(t));
        });
    }

    /** The failure a client should see: completion wrappers and {@link StoreException.Rejected} removed. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof StoreException.Rejected) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
