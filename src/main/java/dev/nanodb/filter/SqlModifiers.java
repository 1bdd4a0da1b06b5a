package dev.nanodb.filter;

/** A stored field with a modifier as a jsonb SQL expression, with the meaning {@link Values#modify} gives it. */
final class SqlModifiers {
    private SqlModifiers() {}

    /** {@code :lower} of a string, {@code :length} of a list (0 for null or {@code ""}, 1 for a scalar); others as stored. */
    static String value(SqlTarget target, Field f) {
        String j = target.json(f.base());
        return switch (f.modifier()) {
            case "lower" -> "(CASE WHEN jsonb_typeof(" + j + ") = 'string' THEN to_jsonb(lower(" + target.text(f.base())
                    + ")) ELSE " + j + " END)";
            case "length" -> "to_jsonb(CASE WHEN jsonb_typeof(" + j + ") = 'array' THEN jsonb_array_length(" + j
                    + ") WHEN " + j + " IS NULL OR jsonb_typeof(" + j + ") = 'null' OR " + j
                    + " = '\"\"'::jsonb THEN 0 ELSE 1 END)";
            default -> j;
        };
    }
}
