package dev.nanodb.batch;

import dev.nanodb.batch.BatchOp.Kind;
import dev.nanodb.batch.BatchOp.Shape;
import dev.nanodb.error.ApiException;
import dev.nanodb.records.ListParams;
import dev.nanodb.records.RecordService;
import dev.nanodb.schema.Names;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed batch: {@code {requests:[…]}} with at most {@code max} operations, all in one shape.
 * <ul>
 *   <li>seed: {@code {method: "create"|"update"|"delete", collection, id, data}} ({@code version} on a delete
 *       is the single route's {@code ?version=N});</li>
 *   <li>PocketBase: {@code {method: "POST"|"PATCH"|"PUT"|"DELETE", url: "/api/collections/{c}/records[/{id}][?…]",
 *       body}}; {@code PUT …/records} is an upsert. The url's query reaches rules as {@code @request.query};
 *       {@code fields} selects the answer's fields and {@code version} is a delete's expected version. Per-op
 *       {@code headers} are ignored: every operation runs as the caller of the batch.</li>
 * </ul>
 * Parsing happens before anything runs: an empty or too long list is a 400 on {@code requests}, a malformed
 * operation a {@link BatchFailure} naming it.
 */
public record BatchRequest(Shape shape, List<BatchOp> ops) {
    private static final String RECORDS_PREFIX = "/api/collections/";

    public static BatchRequest parse(Map<String, Object> body, int max) {
        if (!(body.get("requests") instanceof List<?> list) || list.isEmpty()) {
            throw invalid("validation_required", "Cannot be blank: a list of operations is required.");
        }
        if (list.size() > max) {
            throw invalid("validation_length_too_long", "At most " + max + " operations are allowed in one batch.");
        }
        Shape shape = null;
        List<BatchOp> ops = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> raw)) throw refused(i, "An operation must be a JSON object.");
            @SuppressWarnings("unchecked") Map<String, Object> op = (Map<String, Object>) raw;
            Shape mine = op.containsKey("url") ? Shape.POCKETBASE : op.containsKey("collection") ? Shape.SEED : null;
            if (mine == null) throw refused(i, "An operation needs a url (PocketBase shape) or a collection (seed shape).");
            if (shape != null && mine != shape) {
                throw refused(i, "All operations of a batch must have the same shape; operation 0 has the "
                        + (shape == Shape.SEED ? "seed" : "PocketBase") + " shape.");
            }
            shape = mine;
            ops.add(parseOp(i, op, shape));
        }
        return new BatchRequest(shape, List.copyOf(ops));
    }

    /**
     * The shape to answer a request in, even one that does not parse: the seed shape when its first operation
     * names a collection and no url, otherwise PocketBase's.
     */
    public static Shape shapeOf(Map<String, Object> body) {
        boolean seed = body.get("requests") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> first
                && first.containsKey("collection") && !first.containsKey("url");
        return seed ? Shape.SEED : Shape.POCKETBASE;
    }

    /** The number of operations a request names (0 when it names none). */
    public static int sizeOf(Map<String, Object> body) {
        return body.get("requests") instanceof List<?> l ? l.size() : 0;
    }

    private static BatchOp parseOp(int i, Map<String, Object> op, Shape shape) {
        try {
            return shape == Shape.SEED ? seed(i, op) : pocketBase(i, op);
        } catch (ApiException e) {
            throw new BatchFailure(i, e);
        }
    }

    private static BatchOp seed(int i, Map<String, Object> op) {
        Kind kind = switch (String.valueOf(op.get("method")).toLowerCase(Locale.ROOT)) {
            case "create" -> Kind.CREATE;
            case "update" -> Kind.UPDATE;
            case "delete" -> Kind.DELETE;
            default -> throw refused(i, "Unknown method " + describe(op.get("method")) + "; use create, update or delete.");
        };
        String collection = collectionName(i, op.get("collection"));
        Map<String, Object> data = object(i, op.get("data"), "data");
        Object rawId = op.get("id");
        if (rawId != null && !(rawId instanceof String)) throw refused(i, "The id must be a string.");
        String id = (String) rawId;
        if (kind == Kind.CREATE) {
            if (id != null && !id.isEmpty()) data.putIfAbsent("id", id);
            id = null;
        } else if (id == null || id.isEmpty()) {
            throw refused(i, "An " + (kind == Kind.UPDATE ? "update" : "delete") + " needs the record id.");
        }
        Long version = kind == Kind.DELETE ? RecordService.version(op.get("version"), "version") : null;
        return new BatchOp(kind, collection, id, kind == Kind.DELETE ? Map.of() : data, Map.of(), null, version);
    }

    private static BatchOp pocketBase(int i, Map<String, Object> op) {
        String method = String.valueOf(op.get("method")).toUpperCase(Locale.ROOT);
        if (!(op.get("url") instanceof String url) || !url.startsWith(RECORDS_PREFIX)) throw unknownAction(i, op);
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Map<String, String> query = q < 0 ? Map.of() : query(url.substring(q + 1));
        String[] parts = path.substring(RECORDS_PREFIX.length()).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[1].equals("records")) throw unknownAction(i, op);
        String id = parts.length == 3 ? decode(parts[2]) : null;
        Kind kind = switch (method) {
            case "POST" -> id == null ? Kind.CREATE : null;
            case "PUT" -> id == null ? Kind.UPSERT : null;
            case "PATCH" -> id != null ? Kind.UPDATE : null;
            case "DELETE" -> id != null ? Kind.DELETE : null;
            default -> null;
        };
        if (kind == null || (id != null && id.isEmpty())) throw unknownAction(i, op);
        String collection = collectionName(i, decode(parts[0]));
        Map<String, Object> body = kind == Kind.DELETE ? Map.of() : object(i, op.get("body"), "body");
        Long version = kind == Kind.DELETE ? RecordService.version(query.get("version"), "version") : null;
        return new BatchOp(kind, collection, id, body, query, ListParams.fieldSet(query.get("fields")), version);
    }

    private static String collectionName(int i, Object raw) {
        if (raw instanceof String s && Names.valid(s)) return s;
        throw refused(i, "The collection must be a name or id of letters, digits and _.");
    }

    private static Map<String, Object> object(int i, Object raw, String name) {
        if (raw == null) return new LinkedHashMap<>();
        if (!(raw instanceof Map<?, ?> m)) throw refused(i, "The " + name + " must be a JSON object.");
        @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) m;
        return new LinkedHashMap<>(typed);
    }

    /** The first value of each parameter of a url's query string. */
    private static Map<String, String> query(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.putIfAbsent(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "The url has a malformed %-escape.");
        }
    }

    private static BatchFailure unknownAction(int i, Map<String, Object> op) {
        return refused(i, "Unknown batch request action " + describe(op.get("method")) + " " + describe(op.get("url"))
                + "; supported: POST|PUT /api/collections/{c}/records, PATCH|DELETE /api/collections/{c}/records/{id}.");
    }

    /** A client value quoted for a message, cut short so that an error never echoes a large body. */
    private static String describe(Object v) {
        String s = String.valueOf(v);
        return "\"" + (s.length() > 100 ? s.substring(0, 100) + "…" : s) + "\"";
    }

    private static BatchFailure refused(int i, String message) {
        return new BatchFailure(i, new ApiException(400, message));
    }

    private static ApiException invalid(String code, String message) {
        return new ApiException(400, "Invalid batch request data.", Map.of("requests", ApiException.fieldError(code, message)));
    }
}
