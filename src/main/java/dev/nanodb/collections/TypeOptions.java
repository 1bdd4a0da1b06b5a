package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.Autogenerate;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.List;
import java.util.Map;

/**
 * The options of number ({@code onlyInt}), text ({@code autogeneratePattern}), password ({@code min}, {@code max},
 * {@code cost}), editor ({@code maxSize}, {@code convertURLs}) and autodate ({@code onCreate}, {@code onUpdate})
 * fields, checked as PocketBase's {@code core/field_*.go} check them, with its error codes, and the flags that make
 * no sense on such a field refused rather than ignored.
 */
final class TypeOptions {
    /** PocketBase's longest password (bcrypt reads 72 bytes; NanoDB also refuses more than 72 bytes of UTF-8). */
    static final int MAX_PASSWORD = 71;
    static final int MIN_COST = 4;
    /**
     * PocketBase allows bcrypt costs up to 31; each step doubles the time of every hash and sign-in check, and cost 15
     * already takes seconds of a small server's CPU per hash on the shared bcrypt pool.
     */
    static final int MAX_COST = 14;
    /** How many generated values must pass the field's own checks (PocketBase's number). */
    private static final int SAMPLES = 10;

    private TypeOptions() {}

    /**
     * {@code raw} with the values by which PocketBase's exports say "not set" removed, so that they read as NanoDB's
     * absent options: {@code "pattern": ""}, a text, password or editor field's {@code "min": 0} / {@code "max": 0}
     * (PocketBase's default limit), a date field's {@code "min": ""} / {@code "max": ""}, and an email or url field's
     * empty {@code onlyDomains} / {@code exceptDomains}. A date range or a domain list that is set is refused (400,
     * {@code validation_unsupported}): NanoDB does not check them, and an import must not drop a restriction silently.
     */
    static Map<Object, Object> withoutUnsetOptions(Map<?, ?> raw, String at, Map<String, Object> errors) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>(raw);
        Object type = m.get("type");
        if ("".equals(m.get("pattern"))) m.remove("pattern");
        for (String k : List.of("min", "max")) {
            Object v = m.get(k);
            boolean zero = v instanceof Number n && n.doubleValue() == 0;
            if (zero && ("text".equals(type) || "password".equals(type) || "editor".equals(type))) m.remove(k);
            if ("date".equals(type) && v != null) {
                m.remove(k);
                if (!"".equals(v)) unsupported(at + "." + k, "Date ranges are not supported; check them in a rule.", errors);
            }
        }
        for (String k : List.of("onlyDomains", "exceptDomains")) {
            if (!m.containsKey(k)) continue;
            Object v = m.remove(k);
            boolean empty = v == null || v instanceof List<?> l && l.isEmpty();
            if (!empty || !("email".equals(type) || "url".equals(type))) {
                unsupported(at + "." + k, "Domain lists are not supported; check the domain in a rule.", errors);
            }
        }
        return m;
    }

    private static void unsupported(String key, String message, Map<String, Object> errors) {
        errors.put(key, ApiException.fieldError("validation_unsupported", message));
    }

    /** Sets {@code type}'s options from {@code m} on {@code b}. */
    static void read(Map<?, ?> m, FieldType type, FieldDef.Builder b, String at, Map<String, Object> errors) {
        switch (type) {
            case NUMBER -> b.onlyInt(FieldParser.flag(m, "onlyInt", at, errors));
            case TEXT -> b.autogeneratePattern(autogeneratePattern(m.get("autogeneratePattern"), at, errors));
            case PASSWORD -> b.cost(cost(m.get("cost"), at, errors));
            case EDITOR -> b.editor(new FieldDef.Editor(maxSize(m.get("maxSize"), at, errors),
                    FieldParser.flag(m, "convertURLs", at, errors)));
            case AUTODATE -> {
                boolean onCreate = FieldParser.flag(m, "onCreate", at, errors);
                boolean onUpdate = FieldParser.flag(m, "onUpdate", at, errors);
                if (!onCreate && !onUpdate) {
                    Map<String, String> e = ApiException.fieldError("validation_required", "Either onCreate or onUpdate must be enabled.");
                    errors.put(at + ".onCreate", e);
                    errors.put(at + ".onUpdate", e);
                }
                b.autodate(new FieldDef.Autodate(onCreate, onUpdate));
            }
            default -> { }
        }
    }

    /** Checks that span options of the built field {@code f}. */
    static void check(FieldDef f, Map<?, ?> m, String at, Map<String, Object> errors) {
        switch (f.type()) {
            case NUMBER -> {
                if (f.onlyInt()) wholeBound(f.min(), at + ".min", errors);
                if (f.onlyInt()) wholeBound(f.max(), at + ".max", errors);
            }
            case TEXT -> {
                if (f.autogeneratePattern() != null) checkGenerated(f, at, errors);
            }
            case PASSWORD -> {
                passwordLength(f.min(), at + ".min", errors);
                passwordLength(f.max(), at + ".max", errors);
                refuse(f.unique() || f.indexed(), at + (f.unique() ? ".unique" : ".indexed"), "A password hash is never looked up.", errors);
                refuse(m.get("default") != null, at + ".default", "A password field has no default.", errors);
            }
            case AUTODATE -> {
                refuse(f.required(), at + ".required", "An autodate field is set by the server; it cannot be required.", errors);
                refuse(m.get("default") != null, at + ".default", "An autodate field is set by the server; it has no default.", errors);
            }
            default -> { }
        }
    }

    private static void refuse(boolean when, String key, String message, Map<String, Object> errors) {
        if (when) errors.put(key, ApiException.fieldError("validation_not_applicable", message));
    }

    private static void wholeBound(Double v, String key, Map<String, Object> errors) {
        if (v != null && v != Math.rint(v)) {
            errors.put(key, ApiException.fieldError("validation_only_int_constraint", "Decimal numbers are not allowed."));
        }
    }

    private static void passwordLength(Double v, String key, Map<String, Object> errors) {
        if (v != null && (v < 0 || v > MAX_PASSWORD || v != Math.rint(v))) {
            errors.put(key, ApiException.fieldError("validation_invalid_number",
                    "Must be a whole number from 0 (none) to " + MAX_PASSWORD + "."));
        }
    }

    private static String autogeneratePattern(Object v, String at, Map<String, Object> errors) {
        if (v == null || "".equals(v)) return null;
        if (!(v instanceof String s)) {
            errors.put(at + ".autogeneratePattern", ApiException.fieldError("validation_invalid_autogenerate_pattern", "Must be a string."));
            return null;
        }
        String problem = Autogenerate.problem(s);
        if (problem != null) {
            errors.put(at + ".autogeneratePattern", ApiException.fieldError("validation_invalid_autogenerate_pattern", problem));
            return null;
        }
        return s;
    }

    /** Generated values must pass the field's own checks (min, max, pattern), or a create would fail on them. */
    private static void checkGenerated(FieldDef f, String at, Map<String, Object> errors) {
        FieldDef plain = f.toBuilder().required(false).unique(false).defaultValue(null).build();
        CollectionDef probe = CollectionDef.builder("x", "x", CollectionType.BASE).fields(List.of(plain)).build();
        for (int i = 0; i < SAMPLES; i++) {
            String value = Autogenerate.generate(f.autogeneratePattern());
            try {
                RecordValidator.validate(probe, Map.of(f.name(), value), false);
            } catch (ApiException e) {
                errors.put(at + ".autogeneratePattern", ApiException.fieldError("validation_invalid_autogenerate_pattern_value",
                        "The pattern could produce invalid field values, e.g. " + dev.nanodb.json.Json.writeString(value) + "."));
                return;
            }
        }
    }

    private static int cost(Object v, String at, Map<String, Object> errors) {
        Double c = FieldParser.number(v, at + ".cost", errors);
        if (c == null || c == 0) return 0;
        if (c < MIN_COST || c > MAX_COST || c != Math.rint(c)) {
            errors.put(at + ".cost", ApiException.fieldError("validation_invalid_number",
                    "Must be 0 (the server's cost) or a whole number from " + MIN_COST + " to " + MAX_COST + "."));
            return 0;
        }
        return c.intValue();
    }

    /** A size in bytes (file and editor fields), 0 = the type's default. */
    static long maxSize(Object v, String at, Map<String, Object> errors) {
        Double size = FieldParser.number(v, at + ".maxSize", errors);
        if (size == null) return 0;
        if (size < 0 || size != Math.rint(size) || size > (1L << 53) - 1) {
            errors.put(at + ".maxSize", ApiException.fieldError("validation_invalid_number", "Must be a whole number of bytes, 0 for the default."));
            return 0;
        }
        return size.longValue();
    }
}
