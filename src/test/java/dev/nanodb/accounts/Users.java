package dev.nanodb.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** The account tests' shared steps: a server on a named backend, a POST to a users route, a JSON answer. */
final class Users {
    static final String ROUTES = "/api/collections/users/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Users() {}

    /** A fresh server on {@code backend} ({@code lmdb} or {@code postgres}). */
    static TestServer start(String backend) {
        Map<String, String> env = new HashMap<>();
        if (backend.equals("postgres")) env.put(TestServer.BACKEND, TestServer.POSTGRES);
        return TestServer.start(env);
    }

    static HttpResponse<String> post(TestServer s, String route, String body, String... headers) {
        return s.send("POST", ROUTES + route, body, headers);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
