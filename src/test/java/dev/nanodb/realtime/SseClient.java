package dev.nanodb.realtime;

import dev.nanodb.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real Server-Sent Events client over {@link HttpClient}: it parses the stream as a browser's
 * {@code EventSource} does ({@code id:}, {@code event:}, {@code data:} lines, a blank line dispatches, {@code :}
 * lines are comments) and keeps every event it received, in arrival order.
 *
 * <p>Reading is asynchronous (a line subscriber on the client's executor), so thousands of streams cost no
 * thread each. Tests consume events through a cursor: {@link #next} and {@link #until} return events in order
 * and never skip one silently, so "nothing else arrived before X" is a precise assertion, not a sleep.
 */
public final class SseClient implements AutoCloseable {
    /** How long an open stream may take to show its first frame. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    /** One dispatched event; {@code id} is the frame's own {@code id:} line (null when it had none). */
    public record Event(String id, String name, String data) {
        public Map<String, Object> json() {
            return Json.parseObject(data.getBytes(StandardCharsets.UTF_8));
        }

        public String action() {
            return (String) json().get("action");
        }

        /** The record of a PocketBase event ({@code record}) or of a seed event ({@code data}). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> record() {
            Map<String, Object> j = json();
            return (Map<String, Object>) (j.containsKey("record") ? j.get("record") : j.get("data"));
        }

        public String recordId() {
            Map<String, Object> r = record();
            return r == null ? null : (String) r.get("id");
        }

        @Override
        public String toString() {
            return name + " " + (data.length() > 200 ? data.substring(0, 200) + "…" : data);
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final List<Event> received = new ArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<Event> connected = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private int cursor;

    private SseClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** An HTTP/1.1 client whose body callbacks run on virtual threads (one is enough for thousands of streams). */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** Opens {@code GET /api/realtime<query>} and waits for its 200 and its {@code PB_CONNECT} frame. */
    public static SseClient open(HttpClient http, String baseUrl, String query, String... headers) {
        try {
            return openAsync(http, baseUrl, query, headers).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not open the realtime stream " + query + ": " + e, e);
        }
    }

    /** As {@link #open}, completing once the stream shows its {@code PB_CONNECT} frame (fails on another status). */
    public static CompletableFuture<SseClient> openAsync(HttpClient http, String baseUrl, String query, String... headers) {
        SseClient c = new SseClient(http, baseUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/realtime" + query)).GET()
                .header("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        http.sendAsync(b.build(), info -> {
            c.head.complete(info);
            return HttpResponse.BodySubscribers.fromLineSubscriber(c.new Lines());
        }).whenComplete((r, failure) -> c.finish(failure));
        return c.head.thenCompose(info -> {
            if (info.statusCode() != 200) {
                c.close();
                return CompletableFuture.failedFuture(new AssertionError("realtime stream answered " + info.statusCode()));
            }
            return c.connected.thenApply(e -> c);
        });
    }

    /** The status and headers of the stream's response. */
    public HttpHeaders headers() {
        return head.join().headers();
    }

    /** The client id of the {@code PB_CONNECT} frame's data. */
    public String clientId() {
        return (String) connected.join().json().get("clientId");
    }

    /** The {@code PB_CONNECT} frame itself. */
    public Event connectEvent() {
        return connected.join();
    }

    /** {@code POST /api/realtime} for this client, with {@code token} as Authorization (null = anonymous). */
    public HttpResponse<String> subscribe(String token, List<?> topics) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", clientId());
        body.put("subscriptions", topics);
        return post(http, baseUrl, token, Json.writeString(body));
    }

    /** As {@link #subscribe(String, List)}, failing the test unless the answer is 204. */
    public void subscribeOk(String token, String... topics) {
        HttpResponse<String> r = subscribe(token, List.of(topics));
        if (r.statusCode() != 204) throw new AssertionError("subscribe " + List.of(topics) + " answered " + r.statusCode() + " " + r.body());
    }

    static HttpResponse<String> post(HttpClient http, String baseUrl, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/realtime")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", token);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next event after the cursor (which it passes), failing when none arrives within {@code timeout}. */
    public Event next(Duration timeout) {
        return until(e -> true, timeout).getLast();
    }

    /**
     * Every event from the cursor up to and including the first one that matches, moving the cursor past it;
     * fails when none matches within {@code timeout}. Events of one client arrive in commit order, so the list
     * is exactly what the client received before the match.
     */
    public synchronized List<Event> until(Predicate<Event> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> out = new ArrayList<>();
        while (true) {
            while (cursor < received.size()) {
                Event e = received.get(cursor++);
                out.add(e);
                if (match.test(e)) return out;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended.isDone()) {
                throw new AssertionError("no matching event within " + timeout + (ended.isDone() ? " (stream ended)" : "")
                        + "; received since the cursor: " + out);
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
        }
    }

    /** Every event until the first one carrying record {@code id} (see {@link #until}). */
    public List<Event> untilRecord(String id, Duration timeout) {
        return until(e -> id.equals(recordIdOrNull(e)), timeout);
    }

    private static String recordIdOrNull(Event e) {
        try {
            return e.recordId();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** The record events of {@code events}: without the handshake frames ({@code PB_CONNECT}, seed {@code connected}). */
    public static List<Event> changes(List<Event> events) {
        return events.stream().filter(e -> !e.name().equals("PB_CONNECT") && !e.name().equals("connected")).toList();
    }

    /** A copy of everything received so far (including what the cursor passed). */
    public synchronized List<Event> events() {
        return List.copyOf(received);
    }

    /** Comment lines seen (heartbeats). */
    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream; waits up to {@code timeout}. */
    public boolean awaitEnd(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    public boolean isEnded() {
        return ended.isDone();
    }

    /** Cancels the body subscription, which closes the connection. */
    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private void finish(Throwable failure) {
        head.completeExceptionally(failure != null ? failure : new IllegalStateException("no response"));
        connected.completeExceptionally(new IllegalStateException("stream ended before PB_CONNECT", failure));
        ended.complete(null);
        synchronized (this) {
            notifyAll();
        }
    }

    private synchronized void dispatch(Event e) {
        received.add(e);
        notifyAll();
        if (e.name().equals("PB_CONNECT")) connected.complete(e);
    }

    /** The SSE parser (one instance per stream; lines arrive in order, never concurrently). */
    private final class Lines implements Flow.Subscriber<String> {
        private String id;
        private String name;
        private StringBuilder data;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (data != null) dispatch(new Event(id, name == null ? "message" : name, data.toString()));
                id = null;
                name = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                comments.incrementAndGet();
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }

        @Override
        public void onError(Throwable t) {
            finish(null);
        }

        @Override
        public void onComplete() {
            finish(null);
        }
    }
}
