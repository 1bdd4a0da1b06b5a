package dev.nanodb.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nanodb.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One stored record: its system fields and its user fields.
 *
 * <p>Invariants: {@code id} is 15 characters of {@code [a-z0-9]}; {@code created} and {@code updated} are
 * ISO-8601 UTC with milliseconds; {@code version} starts at 1 and grows by one per update. {@code data} holds
 * only user fields, as plain JSON values (String, Long, Double, Boolean, null, List, Map), and is unmodifiable.
 *
 * <p>A record has one canonical JSON form, {@link #json()}: {@code {"id","created","updated","_version",
 * …fields}} — the public record JSON without {@code collectionId}/{@code collectionName}. A record read from a
 * backend keeps those bytes and decodes its fields only when asked, so a record that is merely passed through
 * to a client is never parsed and re-serialised.
 */
public final class Record {
    private final String id;
    private String created;
    private String updated;
    private long version;
    private String parsedId;
    private volatile boolean headerRead;
    private volatile Map<String, Object> data;
    private volatile byte[] json;

    public Record(String id, String created, String updated, long version, Map<String, Object> data) {
        this.id = Objects.requireNonNull(id);
        this.created = created;
        this.updated = updated;
        this.version = version;
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        this.headerRead = true;
    }

    private Record(String id, byte[] json) {
        this.id = id;
        this.json = json;
    }

    /**
     * A record read back from storage under its id: nothing is parsed until a field is asked for, so a record
     * that only passes through to a client costs one copy.
     */
    public static Record ofStored(String id, byte[] json) {
        return new Record(Objects.requireNonNull(id), json);
    }

    /** A record from its canonical JSON, checking now that it is one (id and version present). */
    public static Record ofJson(byte[] json) {
        Record r = new Record(null, json);
        r.readHeader();
        return r;
    }

    private void readHeader() {
        if (headerRead) return;
        try (JsonParser p = Json.storedFactory().createParser(json)) {
            String id = null;
            String created = null;
            String updated = null;
            Long version = null;
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a record");
            while (version == null && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "created" -> created = p.getText();
                    case "updated" -> updated = p.getText();
                    case "_version" -> version = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            if (id == null || version == null) throw new IllegalArgumentException("not a record");
            if (this.id != null && !this.id.equals(id)) throw new IllegalArgumentException("record stored under another id");
            this.parsedId = id;
            this.created = created;
            this.updated = updated;
            this.version = version;
            headerRead = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String id() {
        return id != null ? id : parsedId;
    }

    public String created() {
        readHeader();
        return created;
    }

    public String updated() {
        readHeader();
        return updated;
    }

    public long version() {
        readHeader();
        return version;
    }

    public Map<String, Object> data() {
        Map<String, Object> d = data;
        if (d == null) {
            Map<String, Object> all = Json.parseStored(json);
            all.remove("id");
            all.remove("created");
            all.remove("updated");
            all.remove("_version");
            d = Collections.unmodifiableMap(all);
            data = d;
        }
        return d;
    }

    /** The canonical JSON form (see the class comment). The array must not be modified. */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id());
            m.put("created", created);
            m.put("updated", updated);
            m.put("_version", version);
            m.putAll(data);
            j = Json.write(m);
            json = j;
        }
        return j;
    }

    /**
     * The value at a path as the filter language sees it: system fields by name, user fields by name, and
     * {@code a.b} into JSON objects. Missing → null. On a record not parsed yet, a top-level field is read from
     * the stored JSON alone (rules usually need one field of a record that is otherwise passed through).
     */
    public Object resolve(String path) {
        switch (path) {
            case "id": return id();
            case "created": return created();
            case "updated": return updated();
            case "_version": return version();
            default: break;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            Map<String, Object> d = data;
            return d != null ? d.get(path) : Json.storedField(json, path);
        }
        Object cur = data().get(path.substring(0, dot));
        for (String part : path.substring(dot + 1).split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(part);
        }
        return cur;
    }

    public Record withData(Map<String, Object> newData, String updatedAt, long newVersion) {
        return new Record(id(), created(), updatedAt, newVersion, newData);
    }

    /**
     * This record's next version, holding {@code newData}: {@code updated} is {@code now}, or the current stamp when
     * the clock has gone back (it never decreases), and each autodate field of {@code def} stamped on update gets the
     * same instant — whatever changed the record (a client, an account flow, a relation emptied by a delete).
     */
    public Record next(CollectionDef def, Map<String, Object> newData, String now) {
        String stamp = now.compareTo(updated()) > 0 ? now : updated();
        Map<String, Object> out = new LinkedHashMap<>(newData);
        for (FieldDef f : def.fields()) {
            if (f.autodate() != null && f.autodate().onUpdate()) out.put(f.name(), stamp);
        }
        return withData(out, stamp, version() + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && id().equals(r.id()) && version() == r.version()
                && Objects.equals(created(), r.created()) && Objects.equals(updated(), r.updated()) && data().equals(r.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), version());
    }

    @Override
    public String toString() {
        return "Record[id=" + id() + ", version=" + version() + ", data=" + data() + "]";
    }
}
