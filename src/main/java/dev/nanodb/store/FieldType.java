package dev.nanodb.store;

import java.util.Locale;

/** The field types a collection may declare. {@code PASSWORD} exists only on auth collections and is always hidden. */
public enum FieldType {
    TEXT, NUMBER, BOOL, EMAIL, URL, DATE, SELECT, JSON, RELATION, FILE, PASSWORD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the type for a wire name such as {@code "text"}, or null when unknown. */
    public static FieldType fromWire(String name) {
        if (name == null) return null;
        for (FieldType t : values()) {
            if (t.wireName().equals(name)) return t;
        }
        return null;
    }
}
