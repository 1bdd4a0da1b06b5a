package dev.nanodb.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * Record writes with files as the PocketBase SDK sends them (multipart, the other values in {@code @jsonPayload},
 * see {@link Multipart}), raw downloads, and test images.
 */
public final class Uploads {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Uploads() {}

    /** {@code json} as the {@code @jsonPayload} part plus the file parts, sent with {@code token}. */
    public static HttpResponse<String> send(String baseUrl, String token, String method, String path, String json,
                                            Multipart.Part... parts) throws IOException, InterruptedException {
        return HTTP.send(Multipart.request(URI.create(baseUrl + path), method, json, parts).header("Authorization", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #send}, to a test server as its superuser. */
    public static HttpResponse<String> multipart(TestServer s, String method, String path, String json, Multipart.Part... parts)
            throws IOException, InterruptedException {
        return send(s.baseUrl(), s.superuserToken(), method, path, json, parts);
    }

    /** GET with the token (null: none), the body as bytes (a file download). */
    public static HttpResponse<byte[]> download(String baseUrl, String token, String path) throws IOException, InterruptedException {
        return token == null ? get(baseUrl, path) : get(baseUrl, path, "Authorization", token);
    }

    /** A GET of a test server with the given header names and values, the body as bytes. */
    public static HttpResponse<byte[]> get(TestServer s, String path, String... headers) throws IOException, InterruptedException {
        return get(s.baseUrl(), path, headers);
    }

    private static HttpResponse<byte[]> get(String baseUrl, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An image of {@code w}×{@code h} in {@code format} (png, jpeg, gif, bmp), with a red dot to tell it from blank. */
    public static byte[] image(String format, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) throw new IllegalArgumentException("no ImageIO writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
