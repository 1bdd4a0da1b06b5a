package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.store.CollectionType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PocketBase's definitions of the fields NanoDB keeps for every record itself, as a PocketBase export or a scaffold
 * lists them: {@code id} (text, {@code primaryKey}, 15 characters of {@code [a-z0-9]}), {@code created} and
 * {@code updated} (autodate, system or not — PocketBase's dashboard adds them as ordinary fields) and, in an auth
 * collection, its {@code system} auth fields. Such a definition describes NanoDB's own field: it is accepted and
 * left out of the user fields when every option it states agrees with what NanoDB does (an option it leaves out
 * agrees), and refused with a 400 naming the option NanoDB cannot honour otherwise (a longer id, an {@code updated}
 * not stamped on update, a password field that is not hidden, an e-mail domain list …).
 */
final class ImplicitFields {
    private static final String ID_PATTERN = "^[a-z0-9]+$";
    private static final String ID_AUTOGENERATE = "[a-z0-9]{15}";
    /** The options PocketBase's definitions carry that say nothing about the value (its dashboard's, its field ids). */
    private static final Set<String> FREE = Set.of("id", "name", "type", "system", "presentable", "help", "required");
    private static final String NOT_HONOURED = "validation_system_field";
    /** Stands for any value of an option NanoDB sets itself. */
    private static final Object ANY = new Object();
    /** Stands for null or an empty list. */
    private static final Object NONE = new Object();

    private ImplicitFields() {}

    /** Whether {@code m} names a field NanoDB keeps itself in a collection of {@code type}. */
    static boolean names(Map<?, ?> m, CollectionType type) {
        Object name = m.get("name");
        if ("id".equals(name) || "created".equals(name) || "updated".equals(name)) return true;
        return type == CollectionType.AUTH && Boolean.TRUE.equals(m.get("system"))
                && AuthFields.FIELDS.stream().anyMatch(f -> f.name().equals(name));
    }

    /** Reports, under {@code at.key}, each option of {@code m} (which {@link #names}) that NanoDB does not honour. */
    static void check(Map<?, ?> m, String at, Map<String, Object> errors) {
        String name = String.valueOf(m.get("name"));
        Map<String, List<Object>> allowed = switch (name) {
            case "id" -> Map.of("type", List.of("text"), "primaryKey", List.of(true), "hidden", List.of(false),
                    "min", List.of(15), "max", List.of(15), "pattern", List.of(ID_PATTERN),
                    "autogeneratePattern", List.of(ID_AUTOGENERATE));
            case "created" -> Map.of("type", List.of("autodate"), "onCreate", List.of(true), "onUpdate", List.of(false),
                    "hidden", List.of(false));
            case "updated" -> Map.of("type", List.of("autodate"), "onCreate", List.of(true), "onUpdate", List.of(true),
                    "hidden", List.of(false));
            default -> authField(name);
        };
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (FREE.contains(key)) continue;
            List<Object> ok = allowed.get(key);
            if (ok == null) {
                errors.put(at + "." + key, ApiException.fieldError("validation_unknown_field", "Unknown field option."));
            } else if (ok.stream().noneMatch(v -> same(v, e.getValue()))) {
                errors.put(at + "." + key, ApiException.fieldError(NOT_HONOURED, "NanoDB's own " + name
                        + " field takes " + describe(ok) + " here: " + what(name) + "."));
            }
        }
        Object type = m.get("type");
        if (type != null && !allowed.get("type").contains(type)) {
            errors.put(at + ".type", ApiException.fieldError(NOT_HONOURED, "NanoDB's own " + name + " field is of type "
                    + allowed.get("type").get(0) + ": " + what(name) + "."));
        }
    }

    /**
     * The options an auth field may state: the types and visibility NanoDB gives it; a password of at least 8 (NanoDB's
     * minimum, {@code 0} = PocketBase's none is read as that) and at most 72 bytes; the token key's own generation
     * options, which NanoDB replaces by its own; no e-mail domain lists.
     */
    private static Map<String, List<Object>> authField(String name) {
        return switch (name) {
            case "password" -> Map.of("type", List.of("password"), "hidden", List.of(true), "min", List.of(0, 8),
                    "max", List.of(0, 71, 72), "pattern", List.of(""), "cost", List.of(ANY));
            case "tokenKey" -> Map.of("type", List.of("text"), "hidden", List.of(true), "min", List.of(ANY),
                    "max", List.of(ANY), "pattern", List.of(""), "autogeneratePattern", List.of(ANY), "primaryKey", List.of(false));
            case AuthFields.EMAIL -> Map.of("type", List.of("email"), "hidden", List.of(false), "unique", List.of(ANY),
                    "onlyDomains", List.of(NONE), "exceptDomains", List.of(NONE));
            default -> Map.of("type", List.of("bool"), "hidden", List.of(false)); // verified, emailVisibility
        };
    }

    private static boolean same(Object allowed, Object given) {
        if (allowed == ANY) return true;
        if (allowed == NONE) return given == null || given instanceof List<?> l && l.isEmpty();
        if (allowed instanceof Integer i) return given instanceof Number n && n.doubleValue() == i;
        return Objects.equals(allowed, given);
    }

    private static String describe(List<Object> ok) {
        if (ok.contains(NONE)) return "no value";
        return ok.size() == 1 ? String.valueOf(ok.get(0)) : "one of " + ok;
    }

    private static String what(String name) {
        return switch (name) {
            case "id" -> "15 characters of a-z and 0-9, generated when not given";
            case "created" -> "the instant the record was created";
            case "updated" -> "the instant of the record's last change";
            case "password" -> "a hidden bcrypt hash of 8 to 72 bytes";
            case "email" -> "any address (domain lists are not supported)";
            default -> "as NanoDB keeps it";
        };
    }
}
