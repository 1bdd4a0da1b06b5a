package dev.nanodb.rules;

import dev.nanodb.filter.Resolver;
import dev.nanodb.schema.Times;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import java.util.Map;

/**
 * Values of the paths a rule may name: {@code @request.auth.*}, {@code @request.body.*},
 * {@code @request.query.*}, {@code @request.method}, {@code @now}, and the record's own fields (system fields,
 * user fields, {@code a.b} into JSON objects). Missing paths are null.
 *
 * <p>For an anonymous caller {@code @request.auth.id}, {@code collectionId}, {@code collectionName} and
 * {@code email} are {@code ""} (PocketBase: {@code @request.auth.id != ""} means "logged in") and every other
 * auth path is null. A body or query value that was not sent is {@code ""}, so {@code @request.body.title = ""}
 * reads "title was not sent", as in PocketBase. A body value sent as JSON {@code null} stays null: it was sent
 * (it clears the field), so it does not pass {@code @request.body.title = ""} and does pass
 * {@code @request.body.title != ""}. An auth record's hidden fields (its password hash, its token key) are never
 * resolvable.
 */
final class RuleResolver implements Resolver {
    private static final String AUTH = "@request.auth.";
    private static final String BODY = "@request.body.";
    private static final String QUERY = "@request.query.";
    private final RequestInfo request;
    private final Record record;
    private String now;

    /** @param record the record under test; null when only {@code @request.*} paths are asked (list rule) */
    RuleResolver(RequestInfo request, Record record) {
        this.request = request;
        this.record = record;
    }

    @Override
    public Object resolve(String path) {
        if (path.startsWith("@")) return request(path);
        return record == null ? null : record.resolve(path);
    }

    Object request(String path) {
        if (path.equals("@now")) {
            if (now == null) now = Times.now();
            return now;
        }
        if (path.equals("@request.method")) return request.method();
        if (path.startsWith(AUTH)) return auth(path.substring(AUTH.length()));
        if (path.startsWith(BODY)) return sent(request.body(), path.substring(BODY.length()));
        if (path.startsWith(QUERY)) return orEmpty(request.query().get(path.substring(QUERY.length())));
        return null;
    }

    private Object auth(String field) {
        Identity id = request.auth();
        if (id == null) {
            return switch (field) {
                case "id", "collectionId", "collectionName", "email" -> "";
                default -> null;
            };
        }
        switch (field) {
            case "collectionId": return id.collection().id();
            case "collectionName": return id.collection().name();
            default: break;
        }
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        FieldDef def = id.collection().field(top).orElse(null);
        if (def != null && def.hidden()) return null;
        return id.record().resolve(field);
    }

    private static Object orEmpty(Object v) {
        return v == null ? "" : v;
    }

    /**
     * The body value at {@code path} as sent: null when it, or an object on the way, was sent as null (that clears
     * it); {@code ""} when a key on the way was not sent at all.
     */
    private static Object sent(Map<String, Object> root, String path) {
        Object cur = root;
        for (String part : path.split("\\.")) {
            if (cur == null) return null;
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) return "";
            cur = m.get(part);
        }
        return cur;
    }
}
