package dev.nanodb.store;

import java.util.Locale;

/** {@code base} collections hold plain records; {@code auth} collections hold accounts (email, password, verified). */
public enum CollectionType {
    BASE, AUTH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CollectionType fromWire(String name) {
        if ("base".equals(name)) return BASE;
        if ("auth".equals(name)) return AUTH;
        return null;
    }
}
