package dev.nanodb.records;

import dev.nanodb.json.Json;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Page;
import dev.nanodb.store.Record;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public JSON form of a record: {@code collectionId, collectionName, id, created, updated, _version}, then
 * the user fields. Hidden fields are removed here, the single exit through which every record leaves the
 * server, so no response, event or error can carry one.
 *
 * <p>An auth record's {@code email} is removed here too unless its {@code emailVisibility} is true or the viewer is
 * the record itself or a superuser ({@link #showsEmail}); every caller names its viewer, so no answer, expansion or
 * event can forget to.
 *
 * <p>When nothing is to be removed (no hidden field, no {@code fields} selection) the record's stored canonical
 * JSON is copied through behind the two collection members, without parsing it: that is what makes list and
 * view answers cheap.
 */
public final class RecordJson {
    private RecordJson() {}

    /**
     * Whether {@code viewer} (null = anonymous) may read {@code r}'s email: always outside auth collections; in
     * one, when the record made it visible, or the viewer is that record or a superuser (PocketBase; its
     * {@code manageRule} exception is not applied to answers yet).
     */
    public static boolean showsEmail(CollectionDef c, Record r, Identity viewer) {
        if (!c.isAuth() || Boolean.TRUE.equals(r.data().get(AuthFields.EMAIL_VISIBILITY))) return true;
        if (viewer == null) return false;
        return viewer.superuser() || viewer.collection().id().equals(c.id()) && viewer.id().equals(r.id());
    }

    /** @param viewer who the answer is for (null = anonymous): decides whether an auth record's email is in it */
    public static Map<String, Object> toMap(CollectionDef c, Record r, Set<String> fields, Identity viewer) {
        boolean email = showsEmail(c, r, viewer);
        Excerpt.Selection pick = Excerpt.Selection.of(fields);
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, pick, "collectionId", c.id());
        put(m, pick, "collectionName", c.name());
        put(m, pick, "id", r.id());
        put(m, pick, "created", r.created());
        put(m, pick, "updated", r.updated());
        put(m, pick, "_version", r.version());
        for (Map.Entry<String, Object> e : r.data().entrySet()) {
            FieldDef f = c.field(e.getKey()).orElse(null);
            if (f != null && f.hidden() || !email && e.getKey().equals(AuthFields.EMAIL)) continue;
            put(m, pick, e.getKey(), e.getValue());
        }
        return m;
    }

    /** Keeps {@code key} when the selection does, with its {@code :excerpt} applied. */
    private static void put(Map<String, Object> m, Excerpt.Selection pick, String key, Object value) {
        if (pick.keeps(key)) m.put(key, pick.value(key, value));
    }

    /**
     * Stored JSON beyond which an answer is made on a worker thread rather than the event loop: removing a hidden
     * field or applying {@code fields} parses and rewrites the whole record (milliseconds for a megabyte), and
     * several such answers queued on one event loop would stall everything else on it.
     */
    public static final int LARGE = 64 * 1024;

    /** Whether answering with these stored records is worth a worker thread ({@link #LARGE}). */
    public static boolean large(List<Record> stored) {
        long bytes = 0;
        for (Record r : stored) bytes += r.json().length;
        return bytes > LARGE;
    }

    public static byte[] toBytes(CollectionDef c, Record r, Set<String> fields, Identity viewer) {
        if (!passThrough(c, fields)) return Json.write(toMap(c, r, fields, viewer));
        byte[] prefix = prefix(c);
        byte[] json = r.json();
        byte[] out = new byte[prefix.length + json.length - 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 1, out, prefix.length, json.length - 1);
        return out;
    }

    /** {@code {page, perPage, totalItems, totalPages, items}} with each item as {@link #toBytes} writes it. */
    public static byte[] pageBytes(CollectionDef c, Page page, Set<String> fields, Identity viewer) {
        byte[] prefix = passThrough(c, fields) ? prefix(c) : null;
        int size = 256;
        for (Record r : page.items()) size += (prefix == null ? 256 : prefix.length + r.json().length);
        Bytes out = new Bytes(size);
        String head = "{\"page\":" + page.page() + ",\"perPage\":" + page.perPage() + ",\"totalItems\":"
                + page.totalItems() + ",\"totalPages\":" + page.totalPages() + ",\"items\":[";
        out.add(head.getBytes(StandardCharsets.US_ASCII));
        boolean first = true;
        for (Record r : page.items()) {
            if (!first) out.add(',');
            first = false;
            write(out, c, r, fields, prefix, viewer);
        }
        out.add(']');
        out.add('}');
        return out.done();
    }

    private static void write(Bytes out, CollectionDef c, Record r, Set<String> fields, byte[] prefix, Identity viewer) {
        if (prefix == null) {
            out.add(Json.write(toMap(c, r, fields, viewer)));
            return;
        }
        byte[] json = r.json();
        out.add(prefix);
        out.add(json, 1, json.length - 1);
    }

    private static boolean passThrough(CollectionDef c, Set<String> fields) {
        if (fields != null || c.isAuth()) return false;
        for (FieldDef f : c.fields()) {
            if (f.hidden()) return false;
        }
        return true;
    }

    private record Prefix(CollectionDef def, byte[] bytes) {}

    /** The last prefix built: definitions are immutable and the store hands out the same instance until a change. */
    private static volatile Prefix lastPrefix = new Prefix(null, null);

    /** {@code {"collectionId":…,"collectionName":…,} — the stored JSON follows without its opening brace. */
    private static byte[] prefix(CollectionDef c) {
        Prefix last = lastPrefix;
        if (last.def() == c) return last.bytes();
        String p = "{\"collectionId\":" + Json.writeString(c.id()) + ",\"collectionName\":" + Json.writeString(c.name()) + ",";
        byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
        lastPrefix = new Prefix(c, bytes);
        return bytes;
    }
}
