package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.EXHAUSTION;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code expand} as an attacker uses it (the {@code links} of {@link AdversarialWorld}): to reach records the
 * targets' view rules hide (alice's note, the locked vault), hidden fields of expanded records (picked with
 * {@code fields} too), and back relations into hidden collections — the suite's leak scan fails any answer that
 * carries a marker — and to make one answer expand without bound: {@code peers.peers} of 100 records naming each
 * other places 10,100 records and is refused with 400 on {@code expand}, without stalling anyone.
 */
final class AdversarialExpandCases {
    private AdversarialExpandCases() {}

    private static final String LINKS = "/api/collections/links/records";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "expand a note and the vault through a public link", BOB, "GET", LINKS + "/{link}?expand=note,vaulted", null, 200)
                .then(s -> assertThat(s.first().body()).doesNotContain("\"expand\":{\"")));
        c.add(http(RULES, "list links expanding hidden targets, anonymous", ANON, "GET", LINKS + "?expand=note,vaulted,note.owner_id", null, 200)
                .then(s -> assertThat(s.first().body()).contains("\"title\":\"link\"")));
        c.add(http(RULES, "pick hidden fields of expanded records", ANON, "GET",
                LINKS + "/{peer}?expand=peers&fields=expand.peers.secret,expand.peers.id,secret", null, 200)
                .then(s -> assertThat(s.first().body()).contains("\"id\"").doesNotContain("secret")));
        c.add(http(RULES, "back relation from the vault's side", BOB, "GET",
                "/api/collections/posts/records/{post}?expand=links_via_note,notes_via_owner_id", null, 200));
        c.add(http(EXHAUSTION, "expand=peers.peers: 10,100 records for one answer", ANON, "GET",
                LINKS + "/{peer}?expand=peers.peers", null, 400).then(s -> assertThat(s.first().body()).contains("\"expand\"")));
        c.add(http(EXHAUSTION, "expand=peers.peers.peers.peers.peers.peers.peers on a list of 100", ANON, "GET",
                LINKS + "?perPage=100&expand=peers.peers.peers.peers.peers.peers.peers", null, 400));
        c.add(http(EXHAUSTION, "expand=peers within the bound", ANON, "GET", LINKS + "/{peer}?expand=peers&fields=id", null, 200));
        return c;
    }
}
