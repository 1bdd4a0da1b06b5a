package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.CollectionValidator;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Store;
import java.util.List;

/**
 * The collections every NanoDB has ({@code users}, {@code _superusers}) and the definition given to a
 * collection created implicitly by a first write.
 */
public final class SystemCollections {
    /** The seed's rules for auto-created collections: list and create need a login, anyone may view, owners edit. */
    public static final CollectionDef.Rules SEED_RULES = new CollectionDef.Rules(
            "@request.auth.id != \"\"", "", "@request.auth.id != \"\"", "owner_id = @request.auth.id",
            "owner_id = @request.auth.id");

    private SystemCollections() {}

    public static CollectionDef autoCreated(String name, String now) {
        if (!CollectionValidator.NAME.matcher(name).matches() || name.startsWith("_")) {
            throw ApiException.invalidField("collection", "validation_invalid_name",
                    "Collection names use letters, digits and _ only, do not start with _, at most 64.");
        }
        return new CollectionDef("pbc_" + Ids.newId().substring(5), name, CollectionType.BASE, true, false,
                List.of(), SEED_RULES, now, now);
    }

    /** Creates {@code users} and {@code _superusers} when missing; waits until they are durable. */
    public static void ensure(Store store) {
        String now = Times.now();
        if (store.collection("_superusers").isEmpty()) {
            store.saveCollection(new CollectionDef("pbc_superusers0", "_superusers", CollectionType.AUTH, false, true,
                    authFields(false), CollectionDef.Rules.SUPERUSERS_ONLY, now, now)).join();
        }
        if (store.collection("users").isEmpty()) {
            CollectionDef.Rules own = new CollectionDef.Rules("id = @request.auth.id", "id = @request.auth.id", "",
                    "id = @request.auth.id", "id = @request.auth.id");
            store.saveCollection(new CollectionDef("pbc_users000000", "users", CollectionType.AUTH, false, true,
                    authFields(true), own, now, now)).join();
        }
    }

    private static List<FieldDef> authFields(boolean withName) {
        FieldDef email = FieldDef.of("email", FieldType.EMAIL).withRequired(true).withUnique(true);
        FieldDef password = FieldDef.of("password", FieldType.PASSWORD).withRequired(true);
        FieldDef tokenKey = FieldDef.of("tokenKey", FieldType.TEXT).withHidden(true);
        FieldDef verified = FieldDef.of("verified", FieldType.BOOL);
        if (!withName) return List.of(email, password, tokenKey, verified);
        return List.of(email, password, tokenKey, verified, FieldDef.of("name", FieldType.TEXT));
    }
}
