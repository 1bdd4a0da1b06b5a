package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Field protection against mass assignment. What only a superuser may set or change:
 * <ul>
 *   <li>{@code id} on create (others get a generated id or a 400; a client-chosen id would let one user
 *       squat the ids another client is about to use);</li>
 *   <li>{@code owner_id}: on create it is the caller's own id (filled in when absent), on update it keeps its
 *       stored value;</li>
 *   <li>{@code verified} of an auth record — which a caller matching the collection's {@code manageRule} may
 *       also change ({@link #manages}).</li>
 * </ul>
 * {@code tokenKey} is managed by the server and ignored in every body. {@code created}, {@code updated},
 * {@code _version}, {@code collectionId}, {@code collectionName} and {@code expand} are ignored by validation for
 * everyone, whatever their value (a client may send back a whole record it read, possibly before someone else's
 * write), so they can never be assigned either; an update's {@code id} may only repeat the record's
 * ({@link #sameId}). The whole table is in docs/API.md, "Writes: decisions". Refusals are 400s naming the
 * field, so a client learns why instead of seeing a value silently dropped.
 */
final class FieldGuard {
    static final String OWNER = "owner_id";

    private FieldGuard() {}

    /** The create body with protected fields checked and {@code owner_id} filled in. */
    static Map<String, Object> create(CollectionDef c, Map<String, Object> body, RequestInfo req) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        out.remove("tokenKey");
        if (req.superuser()) {
            fillOwner(c, out, req);
            return out;
        }
        Object id = out.get("id");
        if (id != null && !"".equals(id)) refuse("id", "Only superusers can choose a record id.");
        Object owner = out.get(OWNER);
        String caller = req.auth() == null ? null : req.auth().id();
        if (owner != null && !owner.equals(caller)) refuse(OWNER, "Must be your own id.");
        if (c.isAuth() && Boolean.TRUE.equals(out.get("verified"))) refuse("verified", "Only superusers can verify accounts.");
        fillOwner(c, out, req);
        return out;
    }

    /**
     * Checks an update body against the stored record; protected fields may only repeat their stored value, and
     * only by a caller who may view the record: for anyone else a protected field in the body is refused whatever
     * its value, as an answer that told a right guess from a wrong one would reveal the stored value.
     */
    static void update(CompiledRules rules, Record current, Map<String, Object> body, RequestInfo req) {
        if (req.superuser()) return;
        CollectionDef c = rules.def();
        if ((body.containsKey(OWNER) || c.isAuth() && body.containsKey("verified")) && !Visibility.canView(rules, req, current)) {
            refuse(body.containsKey(OWNER) ? OWNER : "verified", "Cannot be set on a record you may not view.");
        }
        if (body.containsKey(OWNER) && !Objects.equals(body.get(OWNER), current.data().get(OWNER))) {
            refuse(OWNER, "The owner of a record cannot be changed.");
        }
        if (c.isAuth() && body.containsKey("verified") && !manages(rules, req, current)
                && !Objects.equals(body.get("verified"), current.data().getOrDefault("verified", false))) {
            refuse("verified", "Only superusers can change the verified state.");
        }
    }

    /**
     * An update body may repeat the record's {@code id} (an app sending back a record it read); a different one is
     * a 400 for everyone, as in PocketBase ({@code validation_pk_change}): ids never change.
     */
    static void sameId(String id, Map<String, Object> body) {
        Object sent = body.get("id");
        if (sent != null && !id.equals(sent)) {
            throw new ApiException(400, "Failed to validate the record.",
                    Map.of("id", ApiException.fieldError("validation_pk_change", "The record primary key cannot be changed.")));
        }
    }

    /**
     * Whether the caller manages {@code current}: a superuser, or (in an auth collection) a caller its
     * {@code manageRule} admits. A manager changes {@code verified}, and a password without the old one, and its
     * email change keeps {@code verified} (PocketBase); the update rule must still allow the update.
     */
    static boolean manages(CompiledRules rules, RequestInfo req, Record current) {
        return req.superuser() || rules.def().isAuth() && Access.admits(rules, Action.MANAGE, req, current);
    }

    private static void fillOwner(CollectionDef c, Map<String, Object> body, RequestInfo req) {
        if (req.auth() == null || c.isAuth() || body.get(OWNER) != null) return;
        if (c.schemaless() || c.field(OWNER).isPresent()) body.put(OWNER, req.auth().id());
    }

    private static void refuse(String field, String message) {
        throw new ApiException(400, "Failed to validate the record.",
                Map.of(field, ApiException.fieldError("validation_forbidden_field", message)));
    }
}
