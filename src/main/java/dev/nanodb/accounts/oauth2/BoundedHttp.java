package dev.nanodb.accounts.oauth2;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Nimbus's requests sent with the JDK client, so that every call to a provider is bounded: connecting within
 * the connect timeout, the whole exchange (body included, so a trickling answer cannot hold a worker) within the
 * request timeout, at most {@code maxBody} bytes read (a larger answer is cut off and fails as UNAVAILABLE),
 * redirects never followed. Requests that are
 * not GET or POST are refused before sending.
 */
final class BoundedHttp implements HTTPRequestSender {
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "expect", "upgrade");
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxBody;
    /**
     * Made on the first call to a provider, not at start: a JDK client initialises TLS (the trusted certificates,
     * the cipher suites: ~250 ms and ~300 classes on one core) and starts a selector thread, which a server that
     * never signs anyone in with OAuth2 should not pay for before its first answer.
     */
    private volatile HttpClient client;

    BoundedHttp(Duration connectTimeout, Duration requestTimeout, int maxBody) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxBody = maxBody;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Sends {@code request}; any transport failure, timeout or oversized answer is UNAVAILABLE. */
    HTTPResponse call(HTTPRequest request, String what) {
        try {
            return request.send(this);
        } catch (IOException e) {
            throw new OAuth2Exception(Reason.UNAVAILABLE, "The OAuth2 " + what + " request failed.", e);
        }
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(toUri(request)).timeout(requestTimeout);
        for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
            if (HOP_HEADERS.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) continue;
            for (String v : h.getValue()) b.header(h.getKey(), v);
        }
        String body = request.getBody();
        switch (request.getMethod()) {
            case GET -> b.GET();
            case POST -> b.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body, StandardCharsets.UTF_8));
            default -> throw new IOException("unsupported method");
        }
        CompletableFuture<HttpResponse<byte[]>> pending = client().sendAsync(b.build(), info -> new LimitedBody(maxBody));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("no complete answer within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("request failed", e.getCause());
        }
        HTTPResponse out = new HTTPResponse(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) out.setHeader(name, values.toArray(String[]::new));
        });
        out.setBody(new String(response.body(), StandardCharsets.UTF_8));
        return out;
    }

    /** Collects an answer's body, failing (and cancelling the stream) as soon as it passes {@code max} bytes. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;
        private Flow.Subscription subscription;

        LimitedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) return;
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("answer larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private static URI toUri(ReadOnlyHTTPRequest request) throws IOException {
        URI uri = request.getURI();
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) throw new IOException("not an HTTP URL");
        return uri;
    }
}
