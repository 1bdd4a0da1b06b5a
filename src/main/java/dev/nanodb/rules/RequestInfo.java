package dev.nanodb.rules;

import java.util.Map;

/**
 * What a rule may ask about the request ({@code @request.*}): the caller, the method, the query parameters and
 * the body. Built by the http layer; immutable.
 *
 * @param auth  the caller, null when anonymous
 * @param query first value of each query parameter
 * @param body  the parsed JSON body, empty when there is none
 */
public record RequestInfo(Identity auth, String method, Map<String, String> query, Map<String, Object> body) {
    public RequestInfo {
        query = query == null ? Map.of() : query;
        body = body == null ? Map.of() : body;
    }

    public boolean superuser() {
        return auth != null && auth.superuser();
    }
}
