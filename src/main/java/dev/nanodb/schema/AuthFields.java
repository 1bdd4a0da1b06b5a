package dev.nanodb.schema;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields every auth collection has: {@code email} (unique), {@code password} (hidden), {@code tokenKey}
 * (hidden; rotating it revokes tokens), {@code verified} and {@code emailVisibility} (whether others may read the
 * email). They are fixed: a collection definition may list them only exactly as they are, and they are added when
 * omitted, so no definition can un-hide a password. A definition stored before one of them existed gains it at
 * start-up ({@link #complete}).
 */
public final class AuthFields {
    public static final String EMAIL = "email";
    public static final String EMAIL_VISIBILITY = "emailVisibility";
    public static final List<FieldDef> FIELDS = List.of(
            FieldDef.of(EMAIL, FieldType.EMAIL).withRequired(true).withUnique(true),
            FieldDef.of("password", FieldType.PASSWORD).withRequired(true),
            FieldDef.of("tokenKey", FieldType.TEXT).withHidden(true),
            FieldDef.of("verified", FieldType.BOOL),
            FieldDef.of(EMAIL_VISIBILITY, FieldType.BOOL));

    private AuthFields() {}

    /** The auth fields followed by the other given fields; a differing auth field is reported in {@code errors}. */
    public static List<FieldDef> apply(List<FieldDef> given, Map<String, Object> errors) {
        List<FieldDef> out = new ArrayList<>(FIELDS);
        for (int i = 0; i < given.size(); i++) {
            FieldDef f = given.get(i);
            FieldDef system = FIELDS.stream().filter(s -> s.name().equals(f.name())).findFirst().orElse(null);
            if (system == null) {
                out.add(f);
            } else if (!system.equals(f)) {
                errors.put("fields." + i, ApiException.fieldError("validation_system_field",
                        "The auth field " + f.name() + " cannot be changed."));
            }
        }
        return out;
    }

    /** {@code fields} with each auth field it lacks appended (a definition stored before that field existed). */
    public static List<FieldDef> complete(List<FieldDef> fields) {
        List<FieldDef> out = new ArrayList<>(fields);
        for (FieldDef system : FIELDS) {
            if (fields.stream().noneMatch(f -> f.name().equals(system.name()))) out.add(system);
        }
        return out.size() == fields.size() ? fields : out;
    }
}
