package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.Multipart.Part;
import dev.nanodb.testing.Uploads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Files as an attacker uses them, over alice's album of {@link AdversarialWorld} (a public photo, a protected file
 * whose bytes are a marker): a protected file or its thumbnail never without a file token of someone the view rule
 * admits; a thumbnail size is never a way out of the storage or a way to make a huge bitmap; an upload into a
 * record the caller may not change — single, in a batch, or by naming another record's file — stores nothing.
 */
final class AdversarialFileCases {
    private AdversarialFileCases() {}

    private static final String ALBUM = "/api/files/albums/{album}/";
    private static final byte[] PNG = Uploads.image("png", 8, 8);

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "a protected file without a token", ANON, "GET", ALBUM + "{privateFile}", null, 404));
        c.add(http(RULES, "a protected file's thumbnail without a token", ANON, "GET", ALBUM + "{privateFile}?thumb=100x100", null, 404));
        c.add(attack(RULES, "a protected file with bob's file token", 200, s -> {
            String token = AdversarialTest.json(s.send(BOB, "POST", "/api/files/token", null).body()).path("token").asText();
            assertThat(s.send(ANON, "GET", ALBUM + "{privateFile}?thumb=100x100&token=" + token, null).status()).isEqualTo(404);
            assertThat(s.send(ANON, "GET", ALBUM + "{privateFile}?token=" + token, null).status()).isEqualTo(404);
        }));
        c.add(http(RULES, "a protected file with bob's auth token as the file token", ANON, "GET",
                ALBUM + "{privateFile}?token=" + "{bobAuth}", null, 404));
        c.add(http(RULES, "a thumbnail size far beyond any bitmap", ANON, "GET", ALBUM + "{photo}?thumb=99999x99999", null, 200)
                .then(s -> assertThat(s.first().headers()).contains("image/png").doesNotContain("99999")));
        c.add(http(RULES, "a thumbnail size with path characters", ANON, "GET", ALBUM + "{photo}?thumb=..%2F..%2F32x32", null, 200)
                .then(s -> assertThat(s.first().headers()).doesNotContain("thumbs_")));
        c.add(attack(RULES, "bob uploads into alice's album", 404,
                s -> s.multipart(BOB, "PATCH", "/api/collections/albums/records/{album}", "{}", new Part("photo", "x.png", PNG))));
        c.add(attack(RULES, "bob appends a file to alice's album in a batch", 400,
                s -> s.multipart(BOB, "POST", "/api/batch",
                        "{'requests':[{'method':'PATCH','url':'/api/collections/albums/records/{album}','body':{}}]}",
                        new Part("requests.0.photo+", "x.png", PNG))));
        c.add(attack(RULES, "an anonymous create with a file where sign-in is required", 400,
                s -> s.multipart(ANON, "POST", "/api/collections/albums/records", "{'title':'x'}", new Part("photo", "x.png", PNG))));
        c.add(attack(RULES, "bob names alice's stored photo in his own album", 400,
                s -> s.send(BOB, "POST", "/api/collections/albums/records", "{'title':'mine','photo':'{photo}'}"))
                .then(s -> assertThat(s.first().body()).contains("validation_invalid_file")));
        c.add(attack(RULES, "a batch file part for an operation that does not exist", 400,
                s -> s.multipart(BOB, "POST", "/api/batch",
                        "{'requests':[{'method':'POST','url':'/api/collections/albums/records','body':{'title':'b'}}]}",
                        new Part("requests.1.photo", "x.png", PNG), new Part("requests.0.private", "y.txt", "y".getBytes(StandardCharsets.UTF_8)))));
        return c;
    }
}
