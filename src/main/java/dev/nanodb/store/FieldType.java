package dev.nanodb.store;

import java.util.Locale;

/**
 * The field types a collection may declare. A {@code PASSWORD} field is always hidden and holds a bcrypt hash (the
 * records capability hashes the plain value it is given). An {@code EDITOR} field holds rich text (HTML) as a string,
 * stored as given; an {@code AUTODATE} field holds a date the server sets on create and/or update.
 * The wire name is the constant in lower camel case, as PocketBase spells its types ({@code GEO_POINT} is
 * {@code geoPoint}).
 */
public enum FieldType {
    TEXT, NUMBER, BOOL, EMAIL, URL, DATE, SELECT, JSON, RELATION, FILE, PASSWORD,
    /** A point {@code {lon, lat}} (numbers, lon in [-180, 180], lat in [-90, 90]); absent or null is {@code {0, 0}}. */
    GEO_POINT, EDITOR, AUTODATE;

    public String wireName() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().toLowerCase(Locale.ROOT).split("_")) {
            sb.append(sb.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
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
