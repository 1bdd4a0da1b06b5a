package dev.nanodb.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A {@code multipart/form-data} write as the PocketBase SDK sends it: {@code @jsonPayload}, then one part per file. */
public final class Multipart {
    private Multipart() {}

    /** A file part named by its field ({@code files+} appends). */
    public record Part(String field, String filename, byte[] bytes) {}

    /** A whole multipart body and the {@code Content-Type} that announces it. */
    public record Body(String contentType, byte[] bytes) {}

    /** A request to {@code uri} with {@code json} as {@code @jsonPayload} and {@code parts} after it. */
    public static HttpRequest.Builder request(URI uri, String method, String json, Part... parts) {
        Body b = body(json, parts);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", b.contentType())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(b.bytes()));
    }

    /** {@code json} as {@code @jsonPayload}, then one part per file. */
    public static Body body(String json, Part... parts) {
        String boundary = "----nanodb" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n" + json + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Part p : parts) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field() + "\"; filename=\""
                    + p.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(p.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Body("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }
}
