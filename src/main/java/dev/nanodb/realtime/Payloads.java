package dev.nanodb.realtime;

import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.records.Expander;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * <p>What one client may make a change build is bounded: the first shape it needs is always built, and further
 * ones only while the change's distinct payloads stay under {@link #MAX_BYTES}; past that, the shape is not built
 * ({@code null}) and the client that needs it is dropped. Otherwise one client's thousand subscriptions asking for
 * a thousand different field lists of a megabyte-long record would build a gigabyte for one event — while a
 * client with one shape is never refused, whatever others asked for.
 */
final class Payloads {
    static final long MAX_BYTES = 8L << 20;
    private static final List<String> SYSTEM = List.of("collectionId", "collectionName", "id", "created", "updated", "_version");
    private final CollectionDef collection;
    private final Change change;
    private final ConcurrentHashMap<Object, byte[]> built = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    Payloads(CollectionDef collection, Change change) {
        this.collection = collection;
        this.change = change;
    }

    /**
     * The seed protocol's {@code {collection, action, data}} (a seed client's only shape: always built) for
     * {@code viewer}; shared by every viewer {@link RecordJson#showsEmail} judges alike.
     */
    byte[] seed(Identity viewer) {
        boolean email = RecordJson.showsEmail(collection, change.record(), viewer);
        return get(email ? "seed" : "seed-email", true, () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("collection", collection.name());
            out.put("action", change.action().wireName());
            out.put("data", RecordJson.toMap(collection, change.record(), null, viewer));
            return Json.write(out);
        });
    }

    /**
     * PocketBase's {@code {action, record}} with {@code fields} (null = all); null when it is not the client's
     * first shape for this change and building it would pass {@link #MAX_BYTES}. Shared by every viewer
     * {@link RecordJson#showsEmail} judges alike.
     */
    byte[] pocketBase(Set<String> fields, boolean firstOfClient, Identity viewer) {
        boolean email = RecordJson.showsEmail(collection, change.record(), viewer);
        return get(shape(fields) + (email ? "" : "-email"), firstOfClient, () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("action", change.action().wireName());
            out.put("record", RecordJson.toMap(collection, change.record(), fields, viewer));
            return Json.write(out);
        });
    }

    /** What identifies an expanded payload: who it was expanded for (rules read the caller) and the options. */
    private record ExpandedShape(Identity who, Subscription.Options options) {}

    /**
     * {@link #pocketBase} with {@code s}'s {@code expand} applied for the caller of {@code req}, who may see only
     * what their view rules admit, so it is shared only by subscriptions of the same identity and options. An
     * expansion past {@link Expander#EVENT} is sent without its {@code expand}, as PocketBase sends an event whose
     * expansion failed. Reads the store: called in the {@link FilterLane}, never on the fan-out thread.
     */
    byte[] expanded(RecordService records, RequestInfo req, Subscription s, boolean firstOfClient) {
        return get(new ExpandedShape(req.auth(), s.options()), firstOfClient, () -> {
            byte[] record;
            try {
                record = Expander.of(records, collection, s.expand(), s.options().fields(), req, Expander.EVENT).one(change.record());
            } catch (ApiException e) {
                record = RecordJson.toBytes(collection, change.record(), s.fields(), req.auth());
            }
            String head = "{\"action\":" + Json.writeString(change.action().wireName()) + ",\"record\":";
            byte[] h = head.getBytes(StandardCharsets.UTF_8);
            byte[] out = Arrays.copyOf(h, h.length + record.length + 1);
            System.arraycopy(record, 0, out, h.length, record.length);
            out[out.length - 1] = '}';
            return out;
        });
    }

    private byte[] get(Object key, boolean always, Supplier<byte[]> make) {
        byte[] have = built.get(key);
        if (have != null) return have;
        if (!always && bytes.get() >= MAX_BYTES) return null;
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
