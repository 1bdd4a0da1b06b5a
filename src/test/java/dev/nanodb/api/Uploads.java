package dev.nanodb.api;

import dev.nanodb.testing.Multipart;
import dev.nanodb.testing.TestServer;
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

/** Multipart uploads as the PocketBase SDK sends them, and raw downloads, for the file tests. */
final class Uploads {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Uploads() {}

    /** {@code json} as the {@code @jsonPayload} part plus the file parts, sent as the superuser. */
    static HttpResponse<String> multipart(TestServer s, String method, String path, String json, Multipart.Part... parts)
            throws IOException, InterruptedException {
        return HTTP.send(Multipart.request(URI.create(s.baseUrl() + path), method, json, parts)
                .header("Authorization", s.superuserToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the given header names and values, its body as bytes. */
    static HttpResponse<byte[]> get(TestServer s, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An image of {@code w}×{@code h} in {@code format} (png, jpeg, gif, bmp), with a red dot to tell it from blank. */
    static byte[] image(String format, int w, int h) {
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
