package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Names;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.List;

/**
 * The collections every NanoDB has ({@code users}, {@code _superusers}, {@code _rate_limits}, {@code _params},
 * {@code _otps}, {@code _mfas}, {@code _externalAuths}) and the definition
 * given to a collection created implicitly by a first write. {@link CollectionService} saves them.
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
            FieldDef.builder("path", FieldType.TEXT).required(true).min(1.0).max(256.0)
                    .pattern("(/([^/\\s*?#,]+|\\*))*/?").build(),
            FieldDef.builder("method", FieldType.TEXT).max(7.0)
                    .pattern("(?i)\\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS").build(),
            FieldDef.builder("max", FieldType.NUMBER).required(true).min(1.0).max(1e9).build(),
            FieldDef.builder("timeWindow", FieldType.NUMBER).required(true).min(1.0).max(86_400.0).build(),
            FieldDef.builder("enabled", FieldType.BOOL).defaultValue(Boolean.TRUE).build());

    /**
     * {@code _params}: values the server keeps for itself, one record each, in a hidden JSON field {@code value}
     * (the settings: {@code dev.nanodb.settings}); superusers only, and even they never read a value through the
     * records API.
     */
    public static final String PARAMS = "_params";

    /**
     * {@code _otps}: one-time sign-in codes (PocketBase's), superusers only. {@code password} holds the code's bcrypt
     * hash and {@code sentTo} the address it was mailed to, both hidden; {@code recordRef} is indexed, since every
     * request counts the account's recent codes.
     */
    public static final String OTPS = "_otps";

    /** {@code _mfas}: sign-ins waiting for their second factor (PocketBase's), superusers only. */
    public static final String MFAS = "_mfas";

    private static final FieldDef COLLECTION_REF = FieldDef.builder("collectionRef", FieldType.TEXT).required(true).max(255.0).build();
    private static final FieldDef RECORD_REF = FieldDef.builder("recordRef", FieldType.TEXT).required(true).max(255.0).indexed(true).build();

    /**
     * {@code _externalAuths}: PocketBase's links from an auth record to an OAuth2 provider account
     * ({@code collectionRef, recordRef, provider, providerId}), written only by the OAuth2 sign-in. PocketBase's two
     * composite unique indexes are kept as two hidden single-field unique keys derived from them
     * ({@code providerKey} = collection/provider/providerId: one record per provider account; {@code recordKey} =
     * collection/record/provider: one link per record and provider), so the store itself refuses a duplicate link
     * even from two concurrent sign-ins. PocketBase's rules: the owner lists, views and deletes its links; nobody
     * but superusers creates or changes one through the records API.
     */
    public static final String EXTERNAL_AUTHS = "_externalAuths";
    private static final String LINK_OWNER = "@request.auth.id != '' && recordRef = @request.auth.id"
            + " && collectionRef = @request.auth.collectionId";
    private static final List<FieldDef> EXTERNAL_AUTH_FIELDS = List.of(
            FieldDef.builder("collectionRef", FieldType.TEXT).required(true).indexed(true).build(),
            FieldDef.builder("recordRef", FieldType.TEXT).required(true).indexed(true).build(),
            FieldDef.builder("provider", FieldType.TEXT).required(true).build(),
            FieldDef.builder("providerId", FieldType.TEXT).required(true).build(),
            FieldDef.builder("providerKey", FieldType.TEXT).required(true).unique(true).hidden(true).build(),
            FieldDef.builder("recordKey", FieldType.TEXT).required(true).unique(true).hidden(true).build());

    /** PocketBase's {@code users.avatar}: one image, judged on its bytes. */
    private static final List<String> AVATAR_TYPES = List.of("image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp");

    private SystemCollections() {}

    static CollectionDef autoCreated(String name, String now) {
        if (!Names.valid(name) || name.startsWith("_")) {
            throw ApiException.invalidField("collection", "validation_invalid_name",
                    "Collection names use letters, digits and _ only, do not start with _, at most 64.");
        }
        return CollectionDef.builder("pbc_" + Ids.newId().substring(5), name, CollectionType.BASE).schemaless(true)
                .rules(SEED_RULES).at(now).build();
    }

    /**
     * The system collections as they are first created; {@code users} has PocketBase's default fields ({@code name},
     * {@code avatar}). A data folder made before {@code avatar} existed keeps its {@code users} as they are: a field
     * is never added to a user's collection behind their back (add it in the dashboard or the API).
     */
    static List<CollectionDef> all(String now) {
        List<FieldDef> users = new ArrayList<>(AuthFields.FIELDS);
        users.add(FieldDef.builder("name", FieldType.TEXT).max(255.0).build());
        users.add(FieldDef.builder("avatar", FieldType.FILE).maxSelect(1).files(new FieldDef.Files(0, AVATAR_TYPES, List.of(), false)).build());
        CollectionDef.Rules own = new CollectionDef.Rules("id = @request.auth.id", "id = @request.auth.id", "",
                "id = @request.auth.id", "id = @request.auth.id");
        return List.of(
                CollectionDef.builder("pbc_superusers0", "_superusers", CollectionType.AUTH).system(true)
                        .fields(AuthFields.FIELDS).at(now).build(),
                CollectionDef.builder("pbc_users000000", "users", CollectionType.AUTH).system(true).fields(users)
                        .rules(own).at(now).build(),
                CollectionDef.builder("pbc_ratelimits0", RATE_LIMITS, CollectionType.BASE).system(true)
                        .fields(RATE_LIMIT_FIELDS).at(now).build(),
                CollectionDef.builder("pbc_params00000", PARAMS, CollectionType.BASE).system(true)
                        .fields(List.of(FieldDef.builder("value", FieldType.JSON).hidden(true).build())).at(now).build(),
                CollectionDef.builder("pbc_otps0000000", OTPS, CollectionType.BASE).system(true)
                        .fields(List.of(COLLECTION_REF, RECORD_REF, FieldDef.builder("password", FieldType.TEXT).hidden(true).build(),
                                FieldDef.builder("sentTo", FieldType.TEXT).hidden(true).build())).at(now).build(),
                CollectionDef.builder("pbc_mfas0000000", MFAS, CollectionType.BASE).system(true)
                        .fields(List.of(COLLECTION_REF, RECORD_REF, FieldDef.builder("method", FieldType.TEXT).required(true).max(32.0).build()))
                        .at(now).build(),
                CollectionDef.builder("pbc_extauths000", EXTERNAL_AUTHS, CollectionType.BASE).system(true)
                        .fields(EXTERNAL_AUTH_FIELDS).rules(new CollectionDef.Rules(LINK_OWNER, LINK_OWNER, null, null,
                                LINK_OWNER)).at(now).build());
    }
}
