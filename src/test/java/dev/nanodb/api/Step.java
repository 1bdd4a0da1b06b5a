package dev.nanodb.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP request of a {@link Scenario} and what its answer must look like.
 *
 * <p>Conventions that keep the scenario tables readable:
 * <ul>
 *   <li>In request bodies and in expected body fragments a single quote stands for a double quote
 *       ({@code "{'title':'a'}"}); use {@link #rawBody(String)} when a body must be sent byte for byte.</li>
 *   <li>Placeholders {@code {id}} (the id of the last record created in the scenario), {@code {id1}},
 *       {@code {id2}}, … (the n-th created record) and {@code {cid}} (the id of the last collection created) are
 *       replaced in the url, body, headers and every expectation just before the step runs.</li>
 *   <li>{@code status == ANY_2XX} accepts any 2xx answer (the default, handy for setup steps).</li>
 *   <li>Steps run as the default superuser unless {@link #as} names someone else; {@code {alice}} is the record
 *       id of the scenario's user {@code alice}.</li>
 * </ul>
 *
 * @param checks checks on the parsed body by JSON pointer ({@code /data/title/code}) and on response headers
 */
public record Step(String method, String url, String body, List<String> headers, int status,
                   List<String> contains, List<String> absent, List<Check> checks) {
    public static final int ANY_2XX = 0;

    public Step {
        headers = List.copyOf(headers);
        contains = List.copyOf(contains);
        absent = List.copyOf(absent);
        checks = List.copyOf(checks);
    }

    /**
     * One expectation on the answer: for the body kinds {@code target} is a JSON pointer; for {@code HEADER} it is
     * a response header name whose value must contain {@code value}.
     */
    public record Check(String target, Kind kind, String value) {
        public enum Kind { EQUALS, MATCHES, MISSING, PRESENT, SIZE, HEADER, NO_HEADER }
    }

    public static Step request(String method, String url, String body) {
        return new Step(method, url, body == null ? null : quotes(body), List.of(), ANY_2XX, List.of(), List.of(), List.of());
    }

    public static Step get(String url) {
        return request("GET", url, null);
    }

    public static Step post(String url, String body) {
        return request("POST", url, body);
    }

    public static Step patch(String url, String body) {
        return request("PATCH", url, body);
    }

    public static Step delete(String url) {
        return request("DELETE", url, null);
    }

    /** {@code POST /api/collections/{c}/records}. */
    public static Step create(String collection, String body) {
        return post("/api/collections/" + collection + "/records", body);
    }

    /** {@code POST /api/collections} with a collection definition. */
    public static Step collection(String body) {
        return post("/api/collections", body);
    }

    /** {@code GET /api/collections/{c}/records} with URL-encoded query parameters given as name/value pairs. */
    public static Step list(String collection, String... params) {
        return get(url("/api/collections/" + collection + "/records", params));
    }

    /** A path with URL-encoded query parameters (name/value pairs). */
    public static String url(String path, String... params) {
        StringBuilder sb = new StringBuilder(path);
        for (int i = 0; i + 1 < params.length; i += 2) {
            sb.append(i == 0 ? '?' : '&').append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    static String quotes(String s) {
        return s.replace('\'', '"');
    }

    public Step expect(int expectedStatus) {
        return new Step(method, url, body, headers, expectedStatus, contains, absent, checks);
    }

    /** Fragments that must appear in the body (single quotes stand for double quotes). */
    public Step has(String... fragments) {
        List<String> c = new ArrayList<>(contains);
        for (String f : fragments) c.add(quotes(f));
        return new Step(method, url, body, headers, status, c, absent, checks);
    }

    /** Fragments that must not appear in the body (single quotes stand for double quotes). */
    public Step lacks(String... fragments) {
        List<String> a = new ArrayList<>(absent);
        for (String f : fragments) a.add(quotes(f));
        return new Step(method, url, body, headers, status, contains, a, checks);
    }

    /** The value at a JSON pointer, as text ({@code asText()}: numbers as written, strings unquoted). */
    public Step at(String pointer, Object expected) {
        return check(new Check(pointer, Check.Kind.EQUALS, String.valueOf(expected)));
    }

    /** The text at a JSON pointer matches a regular expression. */
    public Step matches(String pointer, String regex) {
        return check(new Check(pointer, Check.Kind.MATCHES, regex));
    }

    /** A response header is present and its value contains the fragment. */
    public Step responseHeader(String name, String fragment) {
        return check(new Check(name, Check.Kind.HEADER, fragment));
    }

    /** The response has no header of this name. */
    public Step noResponseHeader(String name) {
        return check(new Check(name, Check.Kind.NO_HEADER, null));
    }

    public Step missing(String pointer) {
        return check(new Check(pointer, Check.Kind.MISSING, null));
    }

    public Step present(String pointer) {
        return check(new Check(pointer, Check.Kind.PRESENT, null));
    }

    /**
     * The array (or object) at the pointer has exactly this many elements; a missing node or a scalar fails, so
     * {@code size(p, 0)} cannot pass for an answer that lacks {@code p}.
     */
    public Step size(String pointer, int n) {
        return check(new Check(pointer, Check.Kind.SIZE, Integer.toString(n)));
    }

    public Step header(String name, String value) {
        List<String> h = new ArrayList<>(headers);
        h.add(name);
        h.add(value);
        return new Step(method, url, body, h, status, contains, absent, checks);
    }

    /**
     * Sends the step as {@code who}: {@code "anon"} (no token), {@code "admin"} (the default superuser, also the
     * default for every step), or a user the scenario declared with {@link Scenario#users}.
     */
    public Step as(String who) {
        return header(AS, who);
    }

    /** The pseudo-header that carries {@link #as}; the runner removes it before sending. */
    static final String AS = "@as";

    /** The body exactly as given (no quote conversion). */
    public Step rawBody(String exact) {
        return new Step(method, url, exact, headers, status, contains, absent, checks);
    }

    private Step check(Check c) {
        List<Check> j = new ArrayList<>(checks);
        j.add(c);
        return new Step(method, url, body, headers, status, contains, absent, j);
    }

    @Override
    public String toString() {
        return method + " " + url + (body == null ? "" : " " + (body.length() > 120 ? body.substring(0, 120) + "…" : body));
    }
}
