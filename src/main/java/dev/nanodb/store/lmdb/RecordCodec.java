package dev.nanodb.store.lmdb;

import dev.nanodb.json.Json;
import dev.nanodb.store.Record;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record's stored form: one JSON object {@code {"id","created","updated","_version", …fields}}, i.e. the
 * public record JSON without {@code collectionId}/{@code collectionName} (those belong to the collection and
 * would go stale on a rename).
 */
final class RecordCodec {
    private RecordCodec() {}

    static byte[] encode(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("_version", r.version());
        m.putAll(r.data());
        return Json.write(m);
    }

    static Record decode(byte[] bytes) {
        Map<String, Object> m = Json.parseObject(bytes);
        String id = (String) m.remove("id");
        String created = (String) m.remove("created");
        String updated = (String) m.remove("updated");
        long version = ((Number) m.remove("_version")).longValue();
        return new Record(id, created, updated, version, m);
    }
}
