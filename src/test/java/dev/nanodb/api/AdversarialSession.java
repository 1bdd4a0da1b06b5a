package dev.nanodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.json.Json;
import dev.nanodb.realtime.SseClient;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.Multipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One attack's conversation with the server. Whatever the attacker receives — every answer it sends for, and
 * every event of the realtime streams it opens — is kept, so that {@link AdversarialTest} can scan all of it;
 * what the superuser does to set the scene ({@link #admin}) and what a victim's stream receives are not the
 * attacker's, and are not kept.
 */
final class AdversarialSession implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final HttpClient STREAMS = SseClient.httpClient();

    final AdversarialWorld w;
    private final List<RawHttp.Answer> answers = new ArrayList<>();
    private final List<SseClient> watched = new ArrayList<>();
    private final List<SseClient> opened = new ArrayList<>();
    /** The hidden and the missing id of an oracle probe; the first two answers must then be the same. */
    String[] oracleIds;

    AdversarialSession(AdversarialWorld w) {
        this.w = w;
    }

    RawHttp.Answer send(Attack.Who who, String method, String path, String body, String... headers) {
        return sendToken(who.token(w), method, path, body, headers);
    }

    /** A request with {@code token} as Authorization (null = none); the body's single quotes become double quotes. */
    RawHttp.Answer sendToken(String token, String method, String path, String body, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        if (token != null) {
            h.add("Authorization");
            h.add(token);
        }
        HttpResponse<String> r = w.server.send(method, w.fill(path), body == null ? null : AdversarialWorld.q(w.fill(body)),
                h.toArray(String[]::new));
        return keep(answer(r));
    }

    /** A list request with URL-encoded parameters (name/value pairs; placeholders are filled before encoding). */
    RawHttp.Answer list(Attack.Who who, String collection, String... params) {
        String[] filled = new String[params.length];
        for (int i = 0; i < params.length; i++) filled[i] = w.fill(params[i]);
        return send(who, "GET", Step.url("/api/collections/" + collection + "/records", filled), null);
    }

    /** Over a plain socket: {@code requestLine} is "METHOD path HTTP/1.1"; the headers are sent as given. */
    RawHttp.Answer raw(String requestLine, byte[] body, String... headers) {
        return keep(RawHttp.send(w.port(), w.fill(requestLine), headers, body));
    }

    /** A multipart write as the SDK sends it ({@code @jsonPayload}, then the file parts), as {@code who}. */
    RawHttp.Answer multipart(Attack.Who who, String method, String path, String json, Multipart.Part... parts) {
        Multipart.Body b = Multipart.body(AdversarialWorld.q(w.fill(json)), parts);
        String token = who.token(w);
        List<String> h = new ArrayList<>(List.of("Content-Type: " + b.contentType(), "Content-Length: " + b.bytes().length));
        if (token != null) h.add("Authorization: " + token);
        return raw(method + " " + w.fill(path) + " HTTP/1.1", b.bytes(), h.toArray(String[]::new));
    }

    /** Runs {@code probe} with the hidden record's id, then with an id that exists nowhere. */
    void oracle(String hidden, Function<String, RawHttp.Answer> probe) {
        String id = w.ids.get(hidden);
        if (id == null) throw new IllegalArgumentException("no record " + hidden + " in the world");
        pair(id, AdversarialWorld.MISSING, probe);
    }

    /** Runs {@code probe} with a value that exists (hidden) and one that does not; the answers must be the same. */
    void pair(String exists, String nowhere, Function<String, RawHttp.Answer> probe) {
        oracleIds = new String[] {exists, nowhere};
        probe.apply(exists);
        probe.apply(nowhere);
    }

    /** A request of the superuser that sets the scene; its answer is not the attacker's. */
    HttpResponse<String> admin(String method, String path, String body) {
        return w.server.asSuperuser(method, w.fill(path), body == null ? null : AdversarialWorld.q(w.fill(body)));
    }

    /** Writes a record straight through the store (the scene of a realtime attack, no HTTP answer); its id. */
    String storeCreate(String collection, Map<String, Object> data) {
        String id = Ids.newId();
        String now = Times.now();
        w.server.store().write(List.of(new WriteOp.Create(collection, new Record(id, now, now, 1, data)))).join();
        return id;
    }

    /** Opens an attacker's stream ({@code GET /api/realtime<query>}); its events are answers. */
    SseClient stream(String query, Attack.Who who) {
        SseClient c = open(query, who);
        watched.add(c);
        return c;
    }

    /** As {@link #stream}, and the stream's opening (200 and its headers) is an answer: for attacks that are the stream. */
    SseClient seedStream(String query, Attack.Who who) {
        SseClient c = stream(query, who);
        keep(new RawHttp.Answer(200, c.headers().map().toString(), ""));
        return c;
    }

    /** Opens a victim's stream, whose events are not the attacker's. */
    SseClient victimStream(String query, Attack.Who who) {
        return open(query, who);
    }

    private SseClient open(String query, Attack.Who who) {
        String token = who.token(w);
        SseClient c = token == null ? SseClient.open(STREAMS, w.baseUrl(), w.fill(query))
                : SseClient.open(STREAMS, w.baseUrl(), w.fill(query), "Authorization", token);
        opened.add(c);
        return c;
    }

    /** A stream request that must be refused: its status and body (a stream that opens is closed at once). */
    RawHttp.Answer refusedStream(String query) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(w.baseUrl() + "/api/realtime" + w.fill(query)))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<InputStream> r = STREAMS.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                String body = r.statusCode() == 200 ? "(a stream opened)" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return keep(new RawHttp.Answer(r.statusCode(), headers(r), body));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /api/realtime} for {@code client} as {@code who}; topics are sent as given. */
    RawHttp.Answer subscribe(SseClient client, Attack.Who who, String... topics) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", client.clientId());
        body.put("subscriptions", List.of(topics).stream().map(w::fill).toList());
        String token = who.token(w);
        String[] auth = token == null ? new String[0] : new String[] {"Authorization", token};
        return keep(answer(w.server.send("POST", "/api/realtime", Json.writeString(body), auth)));
    }

    /** A subscription of someone else's (a victim's, a bystander's): not an answer to the attacker; it must succeed. */
    synchronized void victimSubscribe(SseClient client, Attack.Who who, String... topics) {
        RawHttp.Answer a = subscribe(client, who, topics);
        answers.remove(answers.size() - 1);
        if (a.status() != 204) throw new AssertionError("the victim's subscription answered " + a.status() + " " + a.body());
    }

    /** A topic with {@code ?options=} carrying {@code {query: {filter: …}}}, URL-encoded as the SDK sends it. */
    static String filtered(String topic, String key, String value) {
        return topic + "?options=" + URLEncoder.encode(Json.writeString(Map.of("query", Map.of(key, value))), StandardCharsets.UTF_8);
    }

    /** The record ids of the change events {@code client} received up to and including {@code marker}'s. */
    static List<String> idsUntil(SseClient client, String marker) {
        return SseClient.changes(client.untilRecord(marker, WAIT)).stream().map(SseClient.Event::recordId).toList();
    }

    /** A number of {@code /api/stats} → {@code realtime}. */
    long realtimeStat(String name) {
        JsonNode n = AdversarialTest.json(w.server.get("/api/stats").body()).path("realtime").path(name);
        if (!n.isNumber()) throw new AssertionError("/api/stats realtime." + name + " is missing");
        return n.asLong();
    }

    /** Every answer the attacker received: the responses, then each event of its streams as an answer. */
    synchronized List<RawHttp.Answer> answers() {
        List<RawHttp.Answer> all = new ArrayList<>(answers);
        for (SseClient c : watched) {
            for (SseClient.Event e : c.events()) all.add(new RawHttp.Answer(200, "event: " + e.name(), e.data()));
        }
        return all;
    }

    /** The first answer (the one the row's status is about). */
    synchronized RawHttp.Answer first() {
        if (answers.isEmpty()) throw new AssertionError("the attack sent nothing");
        return answers.get(0);
    }

    synchronized RawHttp.Answer answer(int i) {
        return answers.get(i);
    }

    int size() {
        return answers.size();
    }

    private synchronized RawHttp.Answer keep(RawHttp.Answer a) {
        answers.add(a);
        return a;
    }

    private static RawHttp.Answer answer(HttpResponse<?> r) {
        return new RawHttp.Answer(r.statusCode(), headers(r), r.body() instanceof String s ? s : "");
    }

    private static String headers(HttpResponse<?> r) {
        return r.headers().map().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().toLowerCase(Locale.ROOT) + ": " + String.join(",", e.getValue()))
                .collect(Collectors.joining("\r\n"));
    }

    @Override
    public void close() {
        for (SseClient c : opened) c.close();
    }
}
