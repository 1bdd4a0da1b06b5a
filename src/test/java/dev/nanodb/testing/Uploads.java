package dev.nanodb.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Record writes with files as the PocketBase SDK sends them: multipart, the other values in {@code @jsonPayload}. */
public final class Uploads {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Uploads() {}

    /** One file part: the field it goes to, the client's file name, its bytes. */
    public record Part(String field, String filename, byte[] bytes) {}

    public static HttpResponse<String> send(String baseUrl, String token, String method, String path, String json,
                                            Part... parts) throws IOException, InterruptedException {
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
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", token)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the token, the body as bytes (a file download). */
    public static HttpResponse<byte[]> download(String baseUrl, String token, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
