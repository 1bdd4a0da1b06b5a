package dev.nanodb.schema;

/**
 * The one rule for collection and field names: {@code [A-Za-z_][A-Za-z0-9_]*}, at most 64 characters. Nothing
 * else can reach a file path or a query, and the rule is checked by hand because it runs on every request that
 * names a collection.
 */
public final class Names {
    public static final int MAX_LENGTH = 64;

    private Names() {}

    public static boolean valid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
        }
        return true;
    }
}
