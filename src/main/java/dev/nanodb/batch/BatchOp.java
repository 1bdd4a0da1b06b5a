package dev.nanodb.batch;

import java.util.Map;
import java.util.Set;

/**
 * One operation of a batch, whatever shape it arrived in.
 *
 * @param id              the record id; null for a create and an upsert (whose id, if any, is in the body)
 * @param body            the record body (empty for a delete)
 * @param query           the query parameters of a PocketBase operation's url (empty for the seed shape); rules
 *                        see them as {@code @request.query}
 * @param fields          the {@code ?fields=} selection of the answer; null = every field
 * @param expectedVersion a delete's {@code ?version=N} (PocketBase) or {@code version} (seed); null = any
 */
public record BatchOp(Kind kind, String collection, String id, Map<String, Object> body, Map<String, String> query,
                      Set<String> fields, Long expectedVersion) {

    public BatchOp {
        body = body == null ? Map.of() : body;
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /** What an operation does, with the HTTP method its single route uses ({@code @request.method} in rules). */
    public enum Kind {
        CREATE("POST"), UPDATE("PATCH"), UPSERT("PUT"), DELETE("DELETE");

        private final String method;

        Kind(String method) {
            this.method = method;
        }

        public String method() {
            return method;
        }
    }

    /** The two request shapes; a batch is answered in the shape it was sent in. */
    public enum Shape { SEED, POCKETBASE }
}
