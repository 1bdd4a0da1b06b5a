package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.Names;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Store;
import java.util.List;

/**
 * The collections every NanoDB has ({@code users}, {@code _superusers}, {@code _rate_limits}) and the definition
 * given to a collection created implicitly by a first write.
 */
public final class SystemCollections {
    /** The seed's rules for auto-created collections: list and create need a login, anyone may view, owners edit. */
    public static final CollectionDef.Rules SEED_RULES = new CollectionDef.Rules(
            "@request.auth.id != \"\"", "", "@request.auth.id != \"\"", "owner_id = @request.auth.id",
            "owner_id = @request.auth.id");

    /**
     * {@code _rate_limits}: the seed's rule records ({@code path, method, max, timeWindow, enabled}), superusers
     * only. The schema refuses what could not be a rule (see {@link dev.nanodb.config.RateLimitRules}): a path
     * starts with {@code /} and uses {@code *} only as a whole segment; a method is empty, {@code *} or one of
     * the HTTP methods; {@code timeWindow} is in seconds, at most a day.
     */
    public static final String RATE_LIMITS = "_rate_limits";
    private static final List<FieldDef> RATE_LIMIT_FIELDS = List.of(
            new FieldDef("path", FieldType.TEXT, true, false, false, false, null, 1.0, 256.0,
                    "(/([^/\\s*?#,]+|\\*))*/?", null, null, null),
            new FieldDef("method", FieldType.TEXT, false, false, false, false, null, null, 7.0,
                    "(?i)\\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS", null, null, null),
            new FieldDef("max", FieldType.NUMBER, true, false, false, false, null, 1.0, 1e9, null, null, null, null),
            new FieldDef("timeWindow", FieldType.NUMBER, true, false, false, false, null, 1.0, 86_400.0, null, null,
                    null, null),
            new FieldDef("enabled", FieldType.BOOL, false, false, false, false, Boolean.TRUE, null, null, null, null,
                    null, null));

    private SystemCollections() {}

    public static CollectionDef autoCreated(String name, String now) {
        if (!Names.valid(name) || name.startsWith("_")) {
            throw ApiException.invalidField("collection", "validation_invalid_name",
                    "Collection names use letters, digits and _ only, do not start with _, at most 64.");
        }
        return new CollectionDef("pbc_" + Ids.newId().substring(5), name, CollectionType.BASE, true, false,
                List.of(), SEED_RULES, now, now);
    }

    private static List<FieldDef> withName() {
        List<FieldDef> f = new java.util.ArrayList<>(dev.nanodb.schema.AuthFields.FIELDS);
        f.add(FieldDef.of("name", FieldType.TEXT));
        return f;
    }

    /** Creates the system collections that are missing; waits until they are durable. */
    public static void ensure(Store store) {
        String now = Times.now();
        if (store.collection("_superusers").isEmpty()) {
            store.saveCollection(new CollectionDef("pbc_superusers0", "_superusers", CollectionType.AUTH, false, true,
                    dev.nanodb.schema.AuthFields.FIELDS, CollectionDef.Rules.SUPERUSERS_ONLY, now, now)).join();
        }
        if (store.collection("users").isEmpty()) {
            CollectionDef.Rules own = new CollectionDef.Rules("id = @request.auth.id", "id = @request.auth.id", "",
                    "id = @request.auth.id", "id = @request.auth.id");
            store.saveCollection(new CollectionDef("pbc_users000000", "users", CollectionType.AUTH, false, true,
                    withName(), own, now, now)).join();
        }
        if (store.collection(RATE_LIMITS).isEmpty()) {
            store.saveCollection(new CollectionDef("pbc_ratelimits0", RATE_LIMITS, CollectionType.BASE, false, true,
                    RATE_LIMIT_FIELDS, CollectionDef.Rules.SUPERUSERS_ONLY, now, now)).join();
        }
    }
}
