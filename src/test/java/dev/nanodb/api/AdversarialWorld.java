package dev.nanodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.WriteOp;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the adversarial suite attacks: one server with a victim (alice), an attacker (bob), and collections whose
 * rules hide records and fields from bob and from anonymous callers. Everything neither may see carries a
 * marker ({@code ZQX} in values, {@code zqx} in alice's e-mail), and the password hashes ({@code $2}) and token
 * keys of every account are markers too, so one scan of every answer proves that nothing hidden got out.
 *
 * <p>Collections (single quotes in the definitions stand for double quotes):
 * <ul>
 *   <li>{@code notes}: owners list, view, update and delete their own; any signed-in user creates;</li>
 *   <li>{@code drafts}: owners list and view; anyone creates; any signed-in user updates and deletes (a writer
 *       who may not view: the 204 answers);</li>
 *   <li>{@code posts}: public list and view, owners change their own;</li>
 *   <li>{@code vault}: every rule locked (superusers only);</li>
 *   <li>{@code huge}: public reading of a record with a 1,000,000-character field and one with a
 *       100,000-element list (only with {@code huge} seeding: fresh servers of single cases skip it);</li>
 *   <li>{@code members}: a second auth collection, for tokens of one auth collection used as another's;</li>
 *   <li>{@code links}: public, with relations to alice's note ({@code note}), the vault ({@code vaulted}) and
 *       {@value #PEERS} records of itself each naming all of them ({@code peers}): expand must not show what the
 *       targets' rules hide, and {@code expand=peers.peers} is an expansion bomb of 100 records.</li>
 * </ul>
 * Every collection has a hidden {@code secret} field holding a marker, so hidden fields are probed everywhere.
 */
final class AdversarialWorld implements AutoCloseable {
    static final String JWT_SECRET = TokenTestSupport.SECRET;
    static final String MISSING = "zzzzzzzzzzzzzzz";
    static final String ALICE_EMAIL = "alice-zqx@example.com";
    static final String BOB_EMAIL = "bob@example.com";
    static final String PASSWORD = "password123";
    static final int LIST_SIZE = 100_000;
    static final String BIG = "a".repeat(1_000_000);
    private static final String FIELDS = "[{'name':'title','type':'text'},{'name':'secret','type':'text','hidden':true},"
            + "{'name':'owner_id','type':'text','indexed':true}]";
    private static final String OWNER = "owner_id = @request.auth.id";
    private static final String SIGNED_IN = "@request.auth.id != \\'\\'";

    final TestServer server;
    /** Placeholders of the case tables ({@code {alice}}, {@code {aliceNote}} …) and their values. */
    final Map<String, String> ids = new LinkedHashMap<>();
    final List<String> secrets = new ArrayList<>();
    String aliceToken;
    String bobToken;
    String memberToken;
    String membersId;

    private AdversarialWorld(TestServer server) {
        this.server = server;
    }

    /**
     * Starts a server with {@code env} (and the suite's known JWT secret) and plants everything; see the class.
     * Unless {@code env} says otherwise the world runs with {@code INVALID_TOKEN=reject}, whose 401s the token cases
     * check; the guest default has its own cases ({@code AdversarialTokenCases#guests}), each in a world of its own.
     */
    static AdversarialWorld start(Map<String, String> env, boolean huge) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("JWT_SECRET", JWT_SECRET);
        all.putIfAbsent("INVALID_TOKEN", "reject");
        AdversarialWorld w = new AdversarialWorld(TestServer.start(all));
        try {
            w.seed(huge);
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        }
        return w;
    }

    private void seed(boolean huge) {
        collection("notes", FIELDS, OWNER, OWNER, SIGNED_IN, OWNER, OWNER);
        collection("drafts", FIELDS, OWNER, OWNER, "", SIGNED_IN, SIGNED_IN);
        collection("posts", FIELDS, "", "", SIGNED_IN, OWNER, OWNER);
        collection("vault", FIELDS, null, null, null, null, null);
        ok(server.post("/api/collections", q("{'name':'members','type':'auth','listRule':'id = @request.auth.id',"
                + "'viewRule':'id = @request.auth.id','createRule':'','updateRule':null,'deleteRule':null}")));
        membersId = server.store().collection("members").orElseThrow().id();
        ids.put("alice", server.signUp(ALICE_EMAIL));
        ids.put("bob", server.signUp(BOB_EMAIL));
        aliceToken = server.login("users", ALICE_EMAIL, PASSWORD);
        bobToken = server.login("users", BOB_EMAIL, PASSWORD);
        ids.put("bobAuth", bobToken);
        ids.put("member", id(ok(server.send("POST", "/api/collections/members/records", q("{'email':'member@example.com',"
                + "'password':'password123','passwordConfirm':'password123'}")))));
        memberToken = server.login("members", "member@example.com", PASSWORD);
        ids.put("admin", server.store().query(new Query("_superusers", null, List.of(), 1, 1, true)).items().get(0).id());
        ids.put("aliceNote", create(aliceToken, "notes", "{'title':'ZQX-ALICE-NOTE','secret':'ZQX-HIDDEN-NOTE-A'}"));
        ids.put("bobNote", create(bobToken, "notes", "{'title':'bob note','secret':'ZQX-HIDDEN-NOTE-B'}"));
        ids.put("aliceDraft", create(aliceToken, "drafts", "{'title':'ZQX-ALICE-DRAFT','secret':'ZQX-HIDDEN-DRAFT'}"));
        ids.put("bobDraft", create(bobToken, "drafts", "{'title':'bob draft','secret':'ZQX-HIDDEN-DRAFT-B'}"));
        ids.put("post", create(aliceToken, "posts", "{'title':'public post','secret':'ZQX-HIDDEN-POST'}"));
        ids.put("vault", create(server.superuserToken(), "vault", "{'title':'ZQX-VAULT','secret':'ZQX-HIDDEN-VAULT'}"));
        seedLinks();
        seedAlbums();
        if (huge) seedHuge();
        // lower-case markers with their hyphen: a bare "zqx" also occurs by chance in random record ids ([a-z0-9])
        secrets.addAll(List.of("ZQX", "zqx-", "-zqx", "$2", "admin@local.host"));
        for (String[] account : new String[][] {{"users", "alice"}, {"users", "bob"}, {"members", "member"}, {"_superusers", "admin"}}) {
            secrets.add((String) server.store().get(account[0], ids.get(account[1])).orElseThrow().data().get("tokenKey"));
        }
    }

    static final int PEERS = 100;

    /** See the class documentation; the peers are written through the store (one transaction), 100 records naming each other. */
    private void seedLinks() {
        ok(server.post("/api/collections", q("{'name':'links','fields':[{'name':'title','type':'text'},"
                + "{'name':'secret','type':'text','hidden':true},"
                + "{'name':'note','type':'relation','collectionId':'notes','maxSelect':1},"
                + "{'name':'vaulted','type':'relation','collectionId':'vault','maxSelect':1},"
                + "{'name':'peers','type':'relation','collectionId':'links','maxSelect':" + PEERS + "}],"
                + "'listRule':'','viewRule':'','createRule':null,'updateRule':null,'deleteRule':null}")));
        ids.put("link", create(server.superuserToken(), "links", fill("{'title':'link','secret':'ZQX-HIDDEN-LINK',"
                + "'note':'{aliceNote}','vaulted':'{vault}'}")));
        List<String> peers = IntStream.range(0, PEERS).mapToObj(i -> Ids.newId()).toList();
        List<WriteOp> ops = new ArrayList<>();
        for (String id : peers) ops.add(new WriteOp.Create("links", new Record(id, Times.now(), Times.now(), 1, Map.of("title", "peer"))));
        // each names all of them, so all must exist first: a relation may only hold ids of existing records
        for (String id : peers) {
            ops.add(new WriteOp.Replace("links", new Record(id, Times.now(), Times.now(), 2, Map.of("title", "peer", "peers", peers)), 1));
        }
        server.store().write(ops).join();
        ids.put("peer", peers.get(0));
    }

    /**
     * {@code albums}: owners only, alice's with a public {@code photo} (thumbnail size 32x32 allowed) and a
     * protected {@code private} file whose bytes are a marker.
     */
    private void seedAlbums() {
        collection("albums", "[{'name':'title','type':'text'},{'name':'secret','type':'text','hidden':true},"
                + "{'name':'owner_id','type':'text','indexed':true},{'name':'photo','type':'file','thumbs':['32x32']},"
                + "{'name':'private','type':'file','protected':true}]", OWNER, OWNER, SIGNED_IN, OWNER, OWNER);
        try {
            HttpResponse<String> r = dev.nanodb.testing.Uploads.send(server.baseUrl(), aliceToken, "POST", "/api/collections/albums/records",
                    q("{'title':'ZQX-ALBUM','secret':'ZQX-HIDDEN-ALBUM'}"),
                    new dev.nanodb.testing.Multipart.Part("photo", "photo.png", dev.nanodb.testing.Uploads.image("png", 64, 48)),
                    new dev.nanodb.testing.Multipart.Part("private", "secret.txt", "ZQX-FILE-SECRET".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            JsonNode album = AdversarialTest.json(ok(r).body());
            ids.put("album", album.path("id").asText());
            ids.put("photo", album.path("photo").asText());
            ids.put("privateFile", album.path("private").asText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void seedHuge() {
        ok(server.post("/api/collections", q("{'name':'huge','fields':[{'name':'title','type':'text'},"
                + "{'name':'big','type':'text'},{'name':'tags','type':'json'},{'name':'secret','type':'text','hidden':true}],"
                + "'listRule':'','viewRule':'','createRule':null,'updateRule':null,'deleteRule':null}")));
        ids.put("huge", id(ok(server.post("/api/collections/huge/records?fields=id",
                q("{'title':'huge','secret':'ZQX-HIDDEN-HUGE','big':'" + BIG + "'}")))));
        String tags = IntStream.range(0, LIST_SIZE).mapToObj(i -> "'t" + i + "'").collect(Collectors.joining(",", "[", "]"));
        ids.put("list", id(ok(server.post("/api/collections/huge/records?fields=id",
                q("{'title':'list','secret':'ZQX-HIDDEN-LIST','tags':" + tags + "}")))));
    }

    private void collection(String name, String fields, String list, String view, String create, String update, String delete) {
        ok(server.post("/api/collections", q("{'name':'" + name + "','type':'base','fields':" + fields + ",'listRule':" + rule(list)
                + ",'viewRule':" + rule(view) + ",'createRule':" + rule(create) + ",'updateRule':" + rule(update)
                + ",'deleteRule':" + rule(delete) + "}")));
    }

    private static String rule(String r) {
        return r == null ? "null" : "'" + r + "'";
    }

    private String create(String token, String collection, String json) {
        return id(ok(server.send("POST", "/api/collections/" + collection + "/records", q(json), "Authorization", token)));
    }

    /** Creates a record as the superuser and returns its id (setup of a case, never part of its answers). */
    String adminCreate(String collection, String json) {
        return create(server.superuserToken(), collection, fill(json));
    }

    /** Signs a throw-away user up and returns its id and a token: {@code [id, token]}. */
    String[] throwAwayUser(String prefix) {
        String email = prefix + "-" + System.nanoTime() + "@example.com";
        String id = server.signUp(email);
        return new String[] {id, server.login("users", email, PASSWORD)};
    }

    /** Replaces the placeholders; single quotes stand for double quotes. */
    String fill(String template) {
        String s = template;
        for (Map.Entry<String, String> e : ids.entrySet()) s = s.replace("{" + e.getKey() + "}", e.getValue());
        return s.replace("{missing}", MISSING);
    }

    static String q(String json) {
        return json.replace('\'', '"');
    }

    String baseUrl() {
        return server.baseUrl();
    }

    int port() {
        return Integer.parseInt(server.baseUrl().replaceAll(".*:", ""));
    }

    String tokenKey(String collection, String id) {
        return (String) server.store().get(collection, id).orElseThrow().data().get("tokenKey");
    }

    /** Every record (as stored, byte for byte) and every collection definition, for "nothing changed" checks. */
    record Snapshot(List<CollectionDef> collections, Map<String, byte[]> records, java.util.Set<String> files) {
        boolean sameAs(Snapshot other) {
            if (!collections.equals(other.collections) || !records.keySet().equals(other.records.keySet())
                    || !files.equals(other.files)) {
                return false;
            }
            return records.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), other.records.get(e.getKey())));
        }

        /** The keys whose bytes differ, were added or went missing. */
        List<String> differences(Snapshot other) {
            List<String> out = new ArrayList<>();
            for (String k : records.keySet()) {
                if (!java.util.Arrays.equals(records.get(k), other.records.get(k))) out.add(k);
            }
            for (String k : other.records.keySet()) if (!records.containsKey(k)) out.add(k + " (new)");
            if (!collections.equals(other.collections)) out.add("collection definitions");
            if (!files.equals(other.files)) out.add("stored files: " + files + " → " + other.files);
            return out;
        }
    }

    Snapshot snapshot() {
        List<CollectionDef> defs = server.store().collections().stream()
                .sorted(java.util.Comparator.comparing(CollectionDef::name)).toList();
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (CollectionDef c : defs) {
            for (int page = 1; ; page++) {
                List<Record> items = server.store().query(new Query(c.name(), null, List.of(), page, 1000, true)).items();
                for (Record r : items) records.put(c.name() + "/" + r.id(), r.json());
                if (items.size() < 1000) break;
            }
        }
        return new Snapshot(defs, records, storedFiles());
    }

    /** Stored files (not thumbnails, which a download may make): what a refused upload must not leave. */
    private java.util.Set<String> storedFiles() {
        try {
            return new dev.nanodb.files.local.LocalFileStorage(server.dataDir().resolve("storage")).list("").stream()
                    .filter(e -> e.key().thumb() == null).map(e -> e.key().toString()).collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A snapshot once the server has settled after an attack: files of a refused write are removed off the request's
     * thread, so a difference is looked at again for up to 5 s before it counts.
     */
    Snapshot settled(Snapshot before) {
        Snapshot after = snapshot();
        for (int i = 0; i < 50 && !after.sameAs(before); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            after = snapshot();
        }
        return after;
    }

    /** The superuser's consistency check over HTTP: the report when it is clean, else an assertion error. */
    void assertConsistent(String where) {
        HttpResponse<String> r = server.get("/api/admin/consistency");
        JsonNode n = AdversarialTest.json(r.body());
        if (r.statusCode() != 200 || !n.path("clean").asBoolean()) {
            throw new AssertionError(where + "\n  consistency check: " + r.statusCode() + " " + r.body());
        }
    }

    private static HttpResponse<String> ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) throw new AssertionError("seeding failed: " + r.statusCode() + " " + r.body());
        return r;
    }

    static String id(HttpResponse<String> r) {
        return AdversarialTest.json(r.body()).path("id").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
