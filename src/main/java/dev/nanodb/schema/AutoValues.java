package dev.nanodb.schema;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.Map;

/**
 * The values the server gives fields, whoever writes the record: an autodate field is stamped with the record's own
 * {@code created} instant on create (and its {@code updated} one on update, by {@link dev.nanodb.store.Record#next}),
 * so that it sorts and compares exactly like them; a text field with an {@code autogeneratePattern} left empty on create gets a generated value
 * ({@link Autogenerate}). A client never sets an autodate field: its value in a body is dropped, for superusers too
 * (PocketBase's autodate setter ignores every value it is given).
 */
public final class AutoValues {
    private AutoValues() {}

    /** Removes the values of {@code c}'s autodate fields from a client's {@code body}. */
    public static void dropAutodates(CollectionDef c, Map<String, Object> body) {
        for (FieldDef f : c.fields()) {
            if (f.type() == FieldType.AUTODATE) body.remove(f.name());
        }
    }

    /** Gives each text field with an {@code autogeneratePattern} that is absent, null or {@code ""} a generated value. */
    public static void autogenerate(CollectionDef c, Map<String, Object> input) {
        for (FieldDef f : c.fields()) {
            if (f.autogeneratePattern() == null) continue;
            Object v = input.get(f.name());
            if (v == null || "".equals(v)) input.put(f.name(), Autogenerate.generate(f.autogeneratePattern()));
        }
    }

    /** A created record's autodate fields: {@code created} when stamped on create, else {@code ""} (not set yet). */
    public static void stampCreate(CollectionDef c, Map<String, Object> data, String created) {
        for (FieldDef f : c.fields()) {
            if (f.autodate() != null) data.put(f.name(), f.autodate().onCreate() ? created : "");
        }
    }
}
