package dev.nanodb.auth;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Which account a sign-in's {@code identity} names, the way PocketBase finds it: through the collection's identity
 * fields (each unique, so at most one record matches each), {@code email} first. An email is compared in its
 * normalized form ({@link AuthService#normalizeEmail}) and tried only when the identity looks like an address;
 * any other field is compared exactly, as stored.
 */
final class IdentityLookup {
    /** PocketBase refuses longer identities; here they simply match nothing (the failure stays uniform). */
    static final int MAX_LENGTH = 255;

    private IdentityLookup() {}

    /** The fields to try, in order: {@code identityField} alone when given (400 unless it is one of them). */
    static List<String> fields(AuthOptions.PasswordAuth options, Object identityField) {
        if (identityField != null && !"".equals(identityField)) {
            if (!(identityField instanceof String f) || !options.identityFields().contains(f)) {
                throw ApiException.invalidField("identityField", "validation_in_invalid",
                        "Must be one of the collection's identity fields.");
            }
            return List.of(f);
        }
        List<String> out = new ArrayList<>(options.identityFields());
        if (out.remove(AuthOptions.DEFAULT_IDENTITY_FIELD)) out.addFirst(AuthOptions.DEFAULT_IDENTITY_FIELD);
        return out;
    }

    /** The record whose field among {@code fields} holds {@code identity}; null when none does. */
    static Record find(Store store, CollectionDef c, List<String> fields, String identity) {
        if (identity.length() > MAX_LENGTH) return null;
        for (String field : fields) {
            boolean email = field.equals(AuthOptions.DEFAULT_IDENTITY_FIELD);
            if (email && identity.indexOf('@') < 0) continue;
            String value = email ? AuthService.normalizeEmail(identity) : identity;
            Query q = new Query(c.name(), new Compare(new Field(field), Op.EQ, new Literal(value)), List.of(), 1, 1, true);
            List<Record> found = store.query(q).items();
            if (!found.isEmpty()) return found.get(0);
        }
        return null;
    }
}
