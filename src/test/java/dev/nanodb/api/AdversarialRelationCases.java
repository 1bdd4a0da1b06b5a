package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.EXHAUSTION;
import static dev.nanodb.api.Attack.ORACLES;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Relation paths in a client's filter as an attacker uses them, over the public {@code links} of
 * {@link AdversarialWorld} (each names alice's note and the locked vault): a path may not become an oracle on a
 * record its target's list rule hides (a right guess of alice's note title answers exactly as a wrong one), on a
 * hidden field (refused), or on a collection no one but superusers may list (refused, no count in the answer);
 * and a path may not make one list read without bound (too many hops is refused at once).
 */
final class AdversarialRelationCases {
    private AdversarialRelationCases() {}

    private static final String LINKS = "/api/collections/links/records";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(attack(ORACLES, "filter note.title = alice's title vs a wrong one, by bob", 200,
                s -> s.pair("ZQX-ALICE-NOTE", "no such title", v -> s.list(BOB, "links", "filter", "note.title = \"" + v + "\""))));
        c.add(attack(ORACLES, "filter note.title ~ a prefix of alice's title vs a wrong one, anonymous", 200,
                s -> s.pair("ZQX-ALI", "QQQ-ALI", v -> s.list(ANON, "links", "filter", "note.title ~ \"" + v + "\""))));
        c.add(attack(ORACLES, "filter note.title != alice's title vs a wrong one, by bob", 200,
                s -> s.pair("ZQX-ALICE-NOTE", "no such title", v -> s.list(BOB, "links", "filter", "note.title != \"" + v + "\""))));
        c.add(attack(ORACLES, "filter note.id = alice's note id vs an id that exists nowhere, by bob", 200,
                s -> s.oracle("aliceNote", id -> s.list(BOB, "links", "filter", "note.id = \"" + id + "\" && note.title != \"\""))));
        c.add(http(RULES, "filter through a relation to a hidden field", BOB, "GET",
                Step.url(LINKS, "filter", "note.secret = \"x\""), null, 400));
        c.add(http(RULES, "filter through a relation of a relation to a hidden field", ANON, "GET",
                Step.url(LINKS, "filter", "peers.secret ?= \"x\""), null, 400));
        c.add(http(RULES, "filter into the locked vault through a relation", BOB, "GET",
                Step.url(LINKS, "filter", "vaulted.title ~ \"Z\""), null, 400)
                .then(s -> assertThat(s.first().body()).doesNotContain("totalItems")));
        c.add(http(RULES, "back relation into the locked vault's side", ANON, "GET",
                Step.url(LINKS, "filter", "links_via_peers.vaulted.title ~ \"Z\""), null, 400));
        c.add(http(RULES, "sort by a relation path", BOB, "GET", Step.url(LINKS, "sort", "note.title"), null, 400));
        c.add(http(EXHAUSTION, "seven relation hops in one filter", ANON, "GET",
                Step.url(LINKS, "filter", "peers.peers.peers.peers.peers.peers.peers.title = \"x\""), null, 400));
        c.add(http(EXHAUSTION, "a back relation of 100 records each naming 100", ANON, "GET",
                Step.url(LINKS, "filter", "links_via_peers.peers.title ?= \"peer\"", "perPage", "100"), null, 200)
                .then(s -> assertThat(s.first().body()).contains("\"totalItems\":100")));
        // the file route names a collection, a record and a stored name: none of them may reach outside the storage,
        // and a record without file fields has no files to serve
        c.add(http(RULES, "file route: path traversal in the file name", ANON, "GET",
                "/api/files/links/{link}/..%2F..%2F..%2Fetc%2Fpasswd", null, 404));
        c.add(http(RULES, "file route: a dot-dot file name", ANON, "GET", "/api/files/links/{link}/..", null, 404));
        c.add(http(RULES, "file route: a record of the locked vault", ANON, "GET", "/api/files/vault/{vault}/x_abcdefghij.txt",
                null, 404));
        c.add(http(RULES, "file route: a malformed record id", BOB, "GET", "/api/files/links/..%2F..%2Fx/x.txt", null, 404));
        c.add(http(RULES, "file token without a caller", ANON, "POST", "/api/files/token", null, 401));
        return c;
    }
}
