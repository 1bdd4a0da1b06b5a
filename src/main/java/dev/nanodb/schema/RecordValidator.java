package dev.nanodb.schema;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a record's user fields against its collection and returns them normalised (dates canonical, numbers
 * in the value model). All problems are collected and reported together as one 400 whose {@code data} names
 * each field with a {@code {code, message}}, so a form can show every error at once.
 *
 * <p>System fields in a body ({@code id} aside, which the caller handles) are ignored rather than refused:
 * clients routinely send a whole record back on update. Fields a collection with a schema does not declare are
 * refused — silently dropping data would be worse.
 *
 * <p>A record holds at most {@link #MAX_FIELDS} user fields, and a collection declares at most as many: a
 * schemaless collection would otherwise take a body of thousands of keys and keep them in every index scan.
 */
public final class RecordValidator {
    public static final int MAX_FIELDS = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** The one e-mail syntax of NanoDB (an email field, the settings' sender, the account routes' addresses). */
    public static boolean emailSyntax(String s) {
        return EMAIL.matcher(s).matches();
    }
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_=+#*-][A-Za-z0-9_.=+#*-]{0,299}");
    private static final java.util.Set<String> IGNORED = java.util.Set.of(
            "id", "created", "updated", "_version", "collectionId", "collectionName", "expand", "_expectedVersion");

    private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> PATTERNS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private RecordValidator() {}

    /**
     * @param merged the full would-be user data (for an update: the stored data with the changes applied)
     * @param create whether defaults apply
     */
    public static Map<String, Object> validate(CollectionDef def, Map<String, Object> merged, boolean create) {
        if (merged.size() > MAX_FIELDS && merged.keySet().stream().filter(k -> !IGNORED.contains(k)).count() > MAX_FIELDS) {
            throw new ApiException(400, "A record has at most " + MAX_FIELDS + " fields.");
        }
        Map<String, Object> errors = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : merged.entrySet()) {
            String name = e.getKey();
            if (IGNORED.contains(name)) continue;
            FieldDef f = def.field(name).orElse(null);
            if (f == null) {
                if (!def.schemaless()) {
                    errors.put(name, ApiException.fieldError("validation_unknown_field", "Unknown field."));
                } else if (!Names.valid(name)) {
                    errors.put(name, ApiException.fieldError("validation_invalid_name",
                            "Field names may contain only letters, digits and _ (at most 64)."));
                } else {
                    out.put(name, e.getValue());
                }
                continue;
            }
            try {
                out.put(name, coerce(f, e.getValue()));
            } catch (FieldProblem p) {
                errors.put(name, ApiException.fieldError(p.code, p.getMessage()));
            }
        }
        for (FieldDef f : def.fields()) {
            if (create && !out.containsKey(f.name()) && f.defaultValue() != null && !errors.containsKey(f.name())) {
                out.put(f.name(), f.defaultValue());
            }
            if (create && !out.containsKey(f.name()) && f.type() == FieldType.GEO_POINT) out.put(f.name(), GEO_ZERO);
            boolean zero = f.type() == FieldType.GEO_POINT && GEO_ZERO.equals(out.get(f.name()));
            if (f.required() && !errors.containsKey(f.name()) && (blank(out.get(f.name())) || zero)) {
                errors.put(f.name(), ApiException.fieldError("validation_required", "Missing required value."));
            }
        }
        if (!errors.isEmpty()) throw new ApiException(400, "Failed to validate the record.", errors);
        return out;
    }

    private static boolean blank(Object v) {
        return v == null || "".equals(v) || (v instanceof List<?> l && l.isEmpty());
    }

    private static final class FieldProblem extends RuntimeException {
        final String code;

        FieldProblem(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static Object coerce(FieldDef f, Object v) {
        if (f.type() == FieldType.GEO_POINT) return geoPoint(v);
        if (v == null) return null;
        return switch (f.type()) {
            case TEXT -> text(f, v);
            case PASSWORD -> string(v); // a bcrypt hash: the plain value was checked before hashing
            case EDITOR -> editor(f, string(v));
            case NUMBER -> number(f, v);
            case BOOL -> {
                if (!(v instanceof Boolean)) throw new FieldProblem("validation_invalid_bool", "Must be true or false.");
                yield v;
            }
            case EMAIL -> {
                String s = string(v);
                if (!s.isEmpty() && (!EMAIL.matcher(s).matches() || s.length() > 254 || !printable(s))) {
                    throw new FieldProblem("validation_invalid_email", "Must be a valid email address.");
                }
                yield s;
            }
            case URL -> url(string(v));
            case DATE, AUTODATE -> {
                String s = string(v);
                if (s.isEmpty()) yield "";
                String norm = Times.normalize(s);
                if (norm == null) throw new FieldProblem("validation_invalid_date", "Must be an ISO-8601 date.");
                yield norm;
            }
            case SELECT -> select(f, v);
            case RELATION -> relation(f, v);
            case FILE -> files(f, v);
            case JSON -> v;
            case GEO_POINT -> geoPoint(v);
        };
    }

    /** A geoPoint's value when none is given, as PocketBase stores it; "required" means not this point. */
    static final Map<String, Object> GEO_ZERO = Map.of("lon", 0.0, "lat", 0.0);

    /**
     * A geoPoint as PocketBase reads one: an object whose {@code lon} and {@code lat} are numbers (a missing one is
     * 0, other keys are dropped), stored as doubles in that order; null is {@link #GEO_ZERO}. Ranges as PocketBase
     * checks them, with its error codes.
     */
    private static Map<String, Object> geoPoint(Object v) {
        if (v == null) return GEO_ZERO;
        if (!(v instanceof Map<?, ?> m) || !((m.containsKey("lon") ? m.get("lon") : 0.0) instanceof Number lon)
                || !((m.containsKey("lat") ? m.get("lat") : 0.0) instanceof Number lat)) {
            throw new FieldProblem("validation_invalid_geo_point", "Must be an object {\"lon\": number, \"lat\": number}.");
        }
        if (lat.doubleValue() < -90 || lat.doubleValue() > 90) {
            throw new FieldProblem("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.");
        }
        if (lon.doubleValue() < -180 || lon.doubleValue() > 180) {
            throw new FieldProblem("validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lon", lon.doubleValue());
        out.put("lat", lat.doubleValue());
        return out;
    }

    private static String string(Object v) {
        if (!(v instanceof String s)) throw new FieldProblem("validation_invalid_string", "Must be a string.");
        return s;
    }

    /**
     * Whether an address holds only characters that show: no control or format character (NUL, zero-width
     * space and joiners, bidi marks, BOM), no separator of any script, no private-use, unassigned or unpaired
     * surrogate code. Otherwise two accounts could look alike to people and differ to the server.
     */
    static boolean printable(String s) {
        return s.codePoints().allMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> false;
            default -> true;
        });
    }

    private static String text(FieldDef f, Object v) {
        String s = string(v);
        int len = s.codePointCount(0, s.length());
        if (f.min() != null && len < f.min() && !s.isEmpty()) {
            throw new FieldProblem("validation_min_text_constraint", "Must be at least " + f.min().longValue() + " characters.");
        }
        if (f.max() != null && len > f.max()) {
            throw new FieldProblem("validation_max_text_constraint", "Must be at most " + f.max().longValue() + " characters.");
        }
        if (f.pattern() != null && !s.isEmpty()
                && !PATTERNS.computeIfAbsent(f.pattern(), Pattern::compile).matcher(s).matches()) {
            throw new FieldProblem("validation_invalid_format", "Does not match the required format.");
        }
        return s;
    }

    /** PocketBase's check: the UTF-8 length in bytes, whatever the markup. */
    private static String editor(FieldDef f, String s) {
        long max = f.editor().effectiveMaxSize();
        if (s.length() > max || s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
            throw new FieldProblem("validation_content_size_limit", "The maximum allowed content size is " + max + " bytes.");
        }
        return s;
    }

    private static Number number(FieldDef f, Object v) {
        if (!(v instanceof Number n)) throw new FieldProblem("validation_invalid_number", "Must be a number.");
        double d = n.doubleValue();
        if (f.onlyInt() && d != Math.rint(d)) {
            throw new FieldProblem("validation_only_int_constraint", "Decimal numbers are not allowed.");
        }
        if (f.min() != null && d < f.min()) throw new FieldProblem("validation_min_number_constraint", "Must be at least " + fmt(f.min()) + ".");
        if (f.max() != null && d > f.max()) throw new FieldProblem("validation_max_number_constraint", "Must be at most " + fmt(f.max()) + ".");
        // a whole number of an onlyInt field is stored as one (1.0 reads 1), exactly while a double holds it
        return f.onlyInt() && n instanceof Double && Math.abs(d) <= 1L << 53 ? (Number) (long) d : n;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String url(String s) {
        if (s.isEmpty()) return s;
        try {
            java.net.URI u = new java.net.URI(s);
            String scheme = u.getScheme();
            if (scheme != null && (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return s;
        } catch (java.net.URISyntaxException e) {
            // falls through to the problem below
        }
        throw new FieldProblem("validation_invalid_url", "Must be an http(s) URL.");
    }

    private static Object select(FieldDef f, Object v) {
        List<String> picked = strings(v, f.multiple(), "validation_invalid_select");
        for (String s : picked) {
            if (f.values() == null || !f.values().contains(s)) {
                throw new FieldProblem("validation_invalid_value", "Must be one of " + f.values() + ".");
            }
        }
        return limit(f, picked);
    }

    /**
     * Ids of a relation, unique in the order given; a single relation given a list keeps its last id (PocketBase).
     * Whether each id is a record of the target is the store's check, inside the write's transaction.
     */
    private static Object relation(FieldDef f, Object v) {
        List<String> ids = strings(v instanceof List<?> l && !f.multiple() ? lastOf(l) : v, f.multiple(),
                "validation_invalid_relation");
        for (String id : ids) {
            if (!Ids.valid(id)) throw new FieldProblem("validation_invalid_relation", "Must be a record id.");
        }
        int min = f.relation() == null ? 0 : f.relation().minSelect();
        if (!ids.isEmpty() && ids.size() < min) {
            throw new FieldProblem("validation_not_enough_values", "Select at least " + min + ".");
        }
        return limit(f, ids);
    }

    /** Stored file names (one safe path segment each, as the files capability makes them), unique, in order. */
    private static Object files(FieldDef f, Object v) {
        List<String> names = strings(v instanceof List<?> l && !f.multiple() ? lastOf(l) : v, f.multiple(), "validation_invalid_file");
        for (String n : names) {
            if (!FILE_NAME.matcher(n).matches()) throw new FieldProblem("validation_invalid_file", "Not a stored file name.");
        }
        return limit(f, names);
    }

    private static Object lastOf(List<?> l) {
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }

    private static List<String> strings(Object v, boolean multiple, String code) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l && multiple) {
            for (Object o : l) {
                if (!(o instanceof String s)) throw new FieldProblem(code, "Must be a list of strings.");
                out.add(s);
            }
            return new ArrayList<>(new LinkedHashSet<>(out));
        }
        if (!(v instanceof String s)) throw new FieldProblem(code, multiple ? "Must be a list of strings." : "Must be a string.");
        if (!s.isEmpty()) out.add(s);
        return out;
    }

    private static Object limit(FieldDef f, List<String> values) {
        if (!f.multiple()) return values.isEmpty() ? "" : values.get(0);
        if (values.size() > f.maxSelect()) {
            if (f.type() == FieldType.FILE) throw new FieldProblem("validation_too_many_files", "The maximum allowed files is " + f.maxSelect());
            throw new FieldProblem("validation_too_many_values", "Select no more than " + f.maxSelect() + ".");
        }
        return values;
    }
}
