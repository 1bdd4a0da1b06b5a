package dev.nanodb.realtime;

import dev.nanodb.json.Json;
import dev.nanodb.records.RecordJson;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The payloads of one change, each serialised once per distinct shape and shared by every client that gets it
 * (from the fan-out thread and the filter lane alike). A shape is what the client receives, not what it asked
 * for: {@code fields=title,x} and {@code fields=x,title} of a record without {@code x} are one shape.
 *
 * <p>What one change may build is bounded: once {@link #MAX_BYTES} of distinct payloads exist, a further shape
 * is not built ({@code null}) and the client that needs it is dropped. Otherwise a thousand subscriptions asking
 * for a thousand different field lists of a megabyte-long record would build a gigabyte for one event.
 */
final class Payloads {
    static final long MAX_BYTES = 8L << 20;
    private static final List<String> SYSTEM = List.of("collectionId", "collectionName", "id", "created", "updated", "_version");
    private final CollectionDef collection;
    private final Change change;
    private final ConcurrentHashMap<String, byte[]> built = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    Payloads(CollectionDef collection, Change change) {
        this.collection = collection;
        this.change = change;
    }

    /** The seed protocol's {@code {collection, action, data}}; null when the change's payload budget is spent. */
    byte[] seed() {
        return get("seed", () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("collection", collection.name());
            out.put("action", change.action().wireName());
            out.put("data", RecordJson.toMap(collection, change.record(), null));
            return Json.write(out);
        });
    }

    /** PocketBase's {@code {action, record}} with {@code fields} (null = all); null when the budget is spent. */
    byte[] pocketBase(Set<String> fields) {
        return get(shape(fields), () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("action", change.action().wireName());
            out.put("record", RecordJson.toMap(collection, change.record(), fields));
            return Json.write(out);
        });
    }

    private byte[] get(String key, Supplier<byte[]> make) {
        byte[] have = built.get(key);
        if (have != null) return have;
        if (bytes.get() >= MAX_BYTES) return null;
        return built.computeIfAbsent(key, k -> {
            byte[] made = make.get();
            bytes.addAndGet(made.length);
            return made;
        });
    }

    /** The fields a client receives, in one canonical order: the key of its payload. */
    private String shape(Set<String> fields) {
        if (fields == null) return "pb:*";
        Record r = change.record();
        List<String> shown = new ArrayList<>();
        for (String f : fields) {
            boolean present = SYSTEM.contains(f) || r.data().containsKey(f)
                    && !collection.field(f).map(FieldDef::hidden).orElse(false);
            if (present) shown.add(f);
        }
        shown.sort(null);
        return "pb:" + String.join(",", shown);
    }
}
