package dev.nanodb.api;

import static dev.nanodb.api.HostileInputTest.NOTES_URL;
import static dev.nanodb.api.HostileInputTest.POSTS_URL;
import static dev.nanodb.api.HostileInputTest.USERS_URL;
import static dev.nanodb.api.HostileInputTest.utf8;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The table of {@link HostileInputTest}: each bad request with the exact status it must get and, where the
 * request has one offending parameter, the {@code data} key that must name it. Bodies use single quotes for
 * double quotes ({@link Step#quotes}) unless built from bytes.
 */
final class HostileCases {
    private HostileCases() {}

    /** A case: the request is sent as given; {@code field} null = no single offending parameter. */
    record Case(String name, int status, String field, Request request) {}

    interface Request {
        RawHttp.Answer send();
    }

    private static final String LOGIN = "/api/auth/login";
    private static final String PB_LOGIN = "/api/collections/users/auth-with-password";
    private static final String COLLECTIONS = "/api/collections";
    private static final String BATCH = "/api/batch";

    static List<Case> all() {
        String one = POSTS_URL + "/" + HostileInputTest.postId;
        List<Case> c = new ArrayList<>();
        // malformed, truncated and mis-encoded JSON
        c.add(bad("malformed JSON", 400, null, http("POST", POSTS_URL, "{'title':}")));
        c.add(bad("truncated JSON", 400, null, http("POST", POSTS_URL, "{'title':'abc")));
        c.add(bad("body shorter than its Content-Length", 400, null, raw("POST " + POSTS_URL,
                utf8("{\"title\":\"abcdefgh\"}"), "Content-Type: application/json", "Content-Length: 10")));
        c.add(bad("invalid UTF-8 in a JSON string", 400, null, rawJson("POST " + POSTS_URL,
                bytes("{\"title\":\"", new byte[] {(byte) 0xC3, 0x28}, "\"}"))));
        c.add(bad("a lone UTF-8 continuation byte in a key", 400, null, rawJson("POST " + NOTES_URL,
                bytes("{\"", new byte[] {(byte) 0x80}, "a\":1}"))));
        c.add(bad("an overlong UTF-8 encoding of '/'", 400, null, rawJson("POST " + NOTES_URL,
                bytes("{\"a\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}"))));
        c.add(bad("20,000-deep arrays", 400, null, http("POST", NOTES_URL, "{'a':" + "[".repeat(20_000) + "]".repeat(20_000) + "}")));
        c.add(bad("20,000-deep objects", 400, null, http("POST", NOTES_URL, "{'a':".repeat(20_000) + "1" + "}".repeat(20_000))));
        c.add(bad("20,000 brackets never closed", 400, null, http("POST", NOTES_URL, "{'a':" + "[".repeat(20_000))));
        c.add(bad("a 10 MB string", 413, null, rawJson("POST " + POSTS_URL, utf8("{\"title\":\"" + "x".repeat(10 << 20) + "\"}"))));
        c.add(bad("a 2 MB field name", 413, null, rawJson("POST " + NOTES_URL, utf8("{\"" + "f".repeat(2 << 20) + "\":1}"))));
        c.add(bad("an empty body", 400, null, http("POST", POSTS_URL, "")));
        // other JSON values where an object belongs
        c.add(bad("an array as a new record", 400, null, http("POST", POSTS_URL, "[{'title':'a'}]")));
        c.add(bad("a string as a new record", 400, null, http("POST", POSTS_URL, "'title'")));
        c.add(bad("a number as a new record", 400, null, http("POST", POSTS_URL, "42")));
        c.add(bad("null as a new record", 400, null, http("POST", POSTS_URL, "null")));
        c.add(bad("an array as an update", 400, null, http("PATCH", one, "[]")));
        c.add(bad("a string as an update", 400, null, http("PATCH", one, "'x'")));
        c.add(bad("an array at the seed login", 400, null, http("anon", "POST", LOGIN, "[]")));
        c.add(bad("null at auth-with-password", 400, null, http("anon", "POST", PB_LOGIN, "null")));
        c.add(bad("an array as a collection", 400, null, http("POST", COLLECTIONS, "[]")));
        c.add(bad("a number as a collection", 400, null, http("POST", COLLECTIONS, "7")));
        // objects where strings belong
        c.add(bad("an operator object as the login email", 400, null,
                http("anon", "POST", LOGIN, "{'email':{'$gt':''},'password':'x'}")));
        c.add(bad("an operator object as the identity", 400, null,
                http("anon", "POST", PB_LOGIN, "{'identity':{'$gt':''},'password':'password123'}")));
        c.add(bad("an operator object as the password", 400, null,
                http("anon", "POST", PB_LOGIN, "{'identity':'alice@example.com','password':{'$ne':''}}")));
        c.add(bad("an operator object as the login collection", 400, null, http("anon", "POST", LOGIN,
                "{'email':'alice@example.com','password':'password123','collection':{'$ne':''}}")));
        c.add(bad("an object as a text field", 400, "title", http("POST", POSTS_URL, "{'title':{'$gt':''}}")));
        c.add(bad("an operator object as an equality filter", 400, "filter",
                http("GET", Step.url(POSTS_URL, "filter", "{\"views\":{\"$gt\":0}}"), null)));
        // path tricks in collection names and ids
        c.add(bad("..%2F in a collection name", 400, "collection", http("GET", "/api/collections/..%2F..%2Fetc/records", null)));
        c.add(bad("%2e%2e as a collection name", 404, null, http("GET", "/api/collections/%2e%2e/records", null)));
        c.add(bad("raw ../ segments", 404, null, raw("GET /api/collections/../../../etc/passwd", null)));
        c.add(bad("%00 in a collection name", 400, "collection", http("GET", "/api/collections/posts%00/records", null)));
        c.add(bad("an encoded slash in a collection name", 400, "collection", http("GET", "/api/collections/posts%2Fx/records", null)));
        c.add(bad("a unicode collection name", 400, "collection", http("GET", "/api/collections/p%C3%B6sts/records", null)));
        c.add(bad("a record in a collection named ../x", 400, "collection", http("POST", "/api/collections/..%2Fx/records", "{'a':1}")));
        c.add(bad("a collection named ../x", 400, "name", http("POST", COLLECTIONS, "{'name':'../x'}")));
        c.add(bad("a collection name of 100 letters", 400, "name", http("POST", COLLECTIONS, "{'name':'" + "a".repeat(100) + "'}")));
        c.add(bad("a field named a/b", 400, "fields.0.name",
                http("POST", COLLECTIONS, "{'name':'okname','fields':[{'name':'a/b','type':'text'}]}")));
        c.add(bad("an id with ../", 404, null, http("GET", POSTS_URL + "/..%2F..%2Fdata.mdb", null)));
        c.add(bad("an update of an id with %00", 404, null, http("PATCH", POSTS_URL + "/abc%00def", "{'title':'x'}")));
        c.add(bad("a delete of a 600-character id", 404, null, http("DELETE", POSTS_URL + "/" + "a".repeat(600), null)));
        c.add(bad("a chosen id with path characters", 400, "id", http("POST", POSTS_URL, "{'id':'../../etc/passwd','title':'x'}")));
        // filters, pages and sorts
        c.add(bad("a filter of 10,000 terms", 414, null, http("GET", Step.url(POSTS_URL, "filter", terms(10_000)), null)));
        c.add(bad("a filter of 2,000 terms", 400, "filter", http("GET", Step.url(POSTS_URL, "filter", terms(2_000)), null)));
        c.add(bad("a filter of 1,000 comparisons", 400, "filter", http("GET", Step.url(POSTS_URL, "filter", terms(1_000)), null)));
        c.add(bad("parentheses 1,000 deep", 400, "filter",
                http("GET", Step.url(POSTS_URL, "filter", "(".repeat(1000) + "views=1" + ")".repeat(1000)), null)));
        c.add(bad("unbalanced parentheses", 400, "filter", http("GET", Step.url(POSTS_URL, "filter", "((views=1)"), null)));
        c.add(bad("a filter on password as a user", 400, "filter",
                http("alice", "GET", Step.url(USERS_URL, "filter", "password ~ '$2'"), null)));
        c.add(bad("perPage=99999999999999999999", 400, "perPage", http("GET", POSTS_URL + "?perPage=99999999999999999999", null)));
        c.add(bad("perPage=0", 400, "perPage", http("GET", POSTS_URL + "?perPage=0", null)));
        c.add(bad("page=-1", 400, "page", http("GET", POSTS_URL + "?page=-1", null)));
        c.add(bad("page=abc", 400, "page", http("GET", POSTS_URL + "?page=abc", null)));
        c.add(bad("page beyond a long", 400, "page", http("GET", POSTS_URL + "?page=99999999999999999999", null)));
        c.add(bad("sort on an unknown field as a user", 400, "sort", http("alice", "GET", POSTS_URL + "?sort=nope", null)));
        c.add(bad("sort on password as a user", 400, "sort", http("alice", "GET", USERS_URL + "?sort=password", null)));
        c.add(bad("sort on tokenKey as a user", 400, "sort", http("alice", "GET", USERS_URL + "?sort=-tokenKey", null)));
        c.add(bad("sort on a hidden field as a user", 400, "sort", http("alice", "GET", POSTS_URL + "?sort=secret", null)));
        c.add(bad("50 sort fields", 400, "sort", http("GET", POSTS_URL + "?sort=" + "title,".repeat(49) + "title", null)));
        // headers, URLs and content types
        c.add(bad("hundreds of headers", 431, null, raw("GET " + POSTS_URL, null, headers(500))));
        c.add(bad("a 100 KB header", 431, null, raw("GET " + POSTS_URL, null, "X-Big: " + "b".repeat(100_000))));
        c.add(bad("a 100 KB URL", 414, null, http("GET", POSTS_URL + "?q=" + "u".repeat(100_000), null)));
        c.add(bad("a text/plain body", 415, null, raw("POST " + POSTS_URL, utf8("{\"title\":\"a\"}"),
                "Content-Type: text/plain", "Content-Length: 13")));
        c.add(bad("a form-encoded body", 415, null, raw("POST " + POSTS_URL, utf8("title=a"),
                "Content-Type: application/x-www-form-urlencoded", "Content-Length: 7")));
        c.add(bad("a chunked body holding malformed JSON", 400, null, raw("POST " + POSTS_URL, utf8("3\r\n{'a\r\n0\r\n\r\n"),
                "Content-Type: application/json", "Transfer-Encoding: chunked")));
        c.add(bad("a body with both Content-Length and chunked framing", 400, null, raw("POST " + POSTS_URL,
                utf8("2\r\n{}\r\n0\r\n\r\n"), "Content-Type: application/json", "Content-Length: 2", "Transfer-Encoding: chunked")));
        c.add(bad("a request line that is not HTTP", 400, null, raw("GARBAGE", null)));
        // numbers, keys and fields
        c.add(bad("duplicate JSON keys", 400, null, http("POST", POSTS_URL, "{'title':'a','title':'b'}")));
        c.add(bad("1e400", 400, null, http("POST", NOTES_URL, "{'n':1e400}")));
        c.add(bad("-1e400", 400, null, http("POST", NOTES_URL, "{'n':-1e400}")));
        c.add(bad("NaN", 400, null, http("POST", NOTES_URL, "{'n':NaN}")));
        c.add(bad("Infinity", 400, null, http("POST", NOTES_URL, "{'n':Infinity}")));
        c.add(bad("lone high surrogate", 400, null, http("POST", NOTES_URL, "{'t':'a\\ud800b'}")));
        c.add(bad("lone low surrogate at the end", 400, null, http("POST", NOTES_URL, "{'t':'a\\udc00'}")));
        c.add(bad("lone surrogate in a key", 400, null, http("POST", NOTES_URL, "{'\\ud83d':1}")));
        c.add(bad("a number of 1,000 digits", 400, null, http("POST", NOTES_URL, "{'n':" + "9".repeat(1000) + "}")));
        c.add(bad("thousands of fields", 400, null, http("POST", NOTES_URL, fields(5000))));
        c.add(bad("a 100-character field name", 400, "f".repeat(100), http("POST", NOTES_URL, "{'" + "f".repeat(100) + "':1}")));
        c.add(bad("_expectedVersion as an object", 400, "_expectedVersion",
                http("PATCH", one, "{'title':'x','_expectedVersion':{'$gt':0}}")));
        c.add(bad("a delete version that is not a number", 400, "version", http("DELETE", one + "?version=abc", null)));
        // realtime and tokens
        c.add(bad("an array as a realtime subscription", 400, null, http("POST", "/api/realtime", "[]")));
        c.add(bad("a garbage token on a superusers-only route", 401, null, raw("GET /api/collections", null, "Authorization: not.a.token")));
        c.addAll(batchCases());
        return c;
    }

    /**
     * Bad batches: each must be refused as a whole (the suite then finds every earlier record unchanged), including
     * ones whose first operations are valid, so that a partial application would show.
     */
    private static List<Case> batchCases() {
        String create = "{'method':'POST','url':'/api/collections/posts/records','body':{'title':'never stored'}}";
        String seedCreate = "{'method':'create','collection':'posts','data':{'title':'never stored'}}";
        List<Case> c = new ArrayList<>();
        c.add(bad("a batch that is an array", 400, null, http("POST", BATCH, "[" + create + "]")));
        c.add(bad("a batch whose requests is a string", 400, "requests", http("POST", BATCH, "{'requests':'x'}")));
        c.add(bad("an empty batch", 400, "requests", http("POST", BATCH, "{'requests':[]}")));
        c.add(bad("a batch over MAX_BATCH_SIZE", 400, "requests", http("POST", BATCH,
                "{'requests':[" + String.join(",", java.util.Collections.nCopies(101, create)) + "]}")));
        c.add(bad("a batch operation whose body is a string", 400, "requests", http("POST", BATCH,
                "{'requests':[" + create + ",{'method':'POST','url':'/api/collections/posts/records','body':'x'}]}")));
        c.add(bad("a batch operation with ..%2F in its url", 400, "requests", http("POST", BATCH,
                "{'requests':[" + create + ",{'method':'POST','url':'/api/collections/..%2Fetc/records','body':{}}]}")));
        c.add(bad("a batch operation aimed at another API", 400, "requests", http("POST", BATCH,
                "{'requests':[" + create + ",{'method':'DELETE','url':'/api/collections/posts'}]}")));
        c.add(bad("a batch operation with an unknown method", 400, "requests", http("POST", BATCH,
                "{'requests':[{'method':'TRACE','url':'/api/collections/posts/records'}]}")));
        c.add(bad("a batch mixing both shapes", 400, "requests", http("POST", BATCH,
                "{'requests':[" + create + "," + seedCreate + "]}")));
        c.add(bad("a seed batch operation on collection ../x", 400, "requests", http("POST", BATCH,
                "{'requests':[" + seedCreate + ",{'method':'create','collection':'../x','data':{}}]}")));
        c.add(bad("a batch whose 2nd operation fails validation", 400, "requests", http("POST", BATCH,
                "{'requests':[" + create + ",{'method':'POST','url':'/api/collections/posts/records','body':{'title':{'$gt':''}}}]}")));
        c.add(bad("a batch with 20,000-deep nesting in an operation", 400, null, http("POST", BATCH,
                "{'requests':[{'method':'POST','url':'/api/collections/notes/records','body':{'a':"
                        + "[".repeat(20_000) + "]".repeat(20_000) + "}}]}")));
        byte[] file = utf8("--XyZ\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n{\"requests\":[]}\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"requests.0.avatar\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\nPNG\r\n--XyZ--\r\n");
        c.add(bad("a multipart batch with a file part", 400, null, raw("POST " + BATCH, file,
                "Content-Type: multipart/form-data; boundary=XyZ", "Content-Length: " + file.length)));
        byte[] noPayload = utf8("--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--XyZ--\r\n");
        c.add(bad("a multipart batch without @jsonPayload", 400, null, raw("POST " + BATCH, noPayload,
                "Content-Type: multipart/form-data; boundary=XyZ", "Content-Length: " + noPayload.length)));
        byte[] broken = utf8("--XyZ\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n{\"requ");
        c.add(bad("a truncated multipart batch", 400, null, raw("POST " + BATCH, broken,
                "Content-Type: multipart/form-data; boundary=XyZ", "Content-Length: " + broken.length)));
        return c;
    }

    private static Case bad(String name, int status, String field, Request request) {
        return new Case(name, status, field, request);
    }

    private static Request http(String method, String path, String body) {
        return http("admin", method, path, body);
    }

    /** Through {@link java.net.http.HttpClient}, as {@code who} ("admin", "alice" or "anon"), JSON content type. */
    private static Request http(String who, String method, String path, String body) {
        return () -> {
            String token = switch (who) {
                case "admin" -> HostileInputTest.server.superuserToken();
                case "alice" -> HostileInputTest.aliceToken;
                default -> null;
            };
            String[] headers = token == null ? new String[0] : new String[] {"Authorization", token};
            HttpResponse<String> r = HostileInputTest.server.send(method, path, body == null ? null : Step.quotes(body), headers);
            String head = r.headers().map().entrySet().stream()
                    .map(e -> e.getKey().toLowerCase(Locale.ROOT) + ": " + String.join(",", e.getValue()))
                    .collect(Collectors.joining("\r\n"));
            return new RawHttp.Answer(r.statusCode(), head, r.body());
        };
    }

    /** Over a socket as the superuser: {@code line} is "METHOD path" (or anything, sent as the request line). */
    private static Request raw(String line, byte[] body, String... headers) {
        return () -> {
            List<String> all = new ArrayList<>(List.of(headers));
            all.add("Authorization: " + HostileInputTest.server.superuserToken());
            String requestLine = line.contains(" ") ? line + " HTTP/1.1" : line;
            int port = Integer.parseInt(HostileInputTest.server.baseUrl().replaceAll(".*:", ""));
            return RawHttp.send(port, requestLine, all.toArray(String[]::new), body);
        };
    }

    private static Request rawJson(String line, byte[] body) {
        return raw(line, body, "Content-Type: application/json", "Content-Length: " + body.length);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        out.writeBytes(middle);
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    private static String terms(int n) {
        return IntStream.range(0, n).mapToObj(i -> "a=1").collect(Collectors.joining("||"));
    }

    private static String[] headers(int n) {
        return IntStream.range(0, n).mapToObj(i -> "X-H" + i + ": v").toArray(String[]::new);
    }

    private static String fields(int n) {
        return IntStream.range(0, n).mapToObj(i -> "'f" + i + "':" + i).collect(Collectors.joining(",", "{", "}"));
    }
}
