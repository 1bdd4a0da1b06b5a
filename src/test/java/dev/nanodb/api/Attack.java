package dev.nanodb.api;

import java.util.HashMap;
import java.util.Map;

/**
 * One row of the adversarial tables: an attack as a real client would send it, the status its first answer
 * must have, and whether the store must be left exactly as it was. What every attack is checked for besides
 * (secrets, 5xx, stack traces, stalls, consistency) is {@link AdversarialTest}'s business, so a row states only
 * what is particular to it.
 *
 * @param env       server settings for an attack that needs its own limits: such an attack runs on a fresh
 *                  server (empty = the shared one)
 * @param given     preparation that is not part of the attack (for instance a user who then changes its password);
 *                  it runs before the "nothing changed" snapshot and the stall probe
 * @param script    the attack: every request it sends through the {@link AdversarialSession} is an answer
 * @param check     what the answers must show beyond their status (null = nothing more)
 */
record Attack(String family, String name, int status, boolean unchanged, Map<String, String> env, Given given,
              Script script, Check check) {

    interface Given {
        void run(AdversarialWorld w) throws Exception;
    }

    interface Script {
        void run(AdversarialSession s) throws Exception;
    }

    interface Check {
        void run(AdversarialSession s) throws Exception;
    }

    /** Who sends a request: the token it carries (null = anonymous), read from the world when the attack runs. */
    interface Who {
        String token(AdversarialWorld w);
    }

    /** For {@code status}: the first answer's status is not pinned (the row's check states what it may be). */
    static final int ANY = 0;

    static final Who ANON = w -> null;
    static final Who BOB = w -> w.bobToken;
    static final Who ALICE = w -> w.aliceToken;
    static final Who MEMBER = w -> w.memberToken;

    static final String ORACLES = "oracle";
    static final String RULES = "rule bypass";
    static final String REALTIME = "realtime";
    static final String TOKENS = "token forgery";
    static final String EXHAUSTION = "exhaustion";

    /** An attack that must change nothing, on the shared server. */
    static Attack attack(String family, String name, int status, Script script) {
        return new Attack(family, name, status, true, Map.of(), null, script, null);
    }

    /** One request as {@code who}; placeholders ({@code {aliceNote}} …) and single quotes as in {@link AdversarialWorld#fill}. */
    static Attack http(String family, String name, Who who, String method, String path, String body, int status) {
        return attack(family, name, status, s -> s.send(who, method, path, body));
    }

    /**
     * An oracle probe: the same request about a record that exists but is hidden ({@code {id}} = the world's
     * {@code hidden} id) and about one that exists nowhere; both answers must be the same, byte for byte.
     */
    static Attack oracle(String name, Who who, String method, String path, String body, String hidden, int status) {
        return attack(ORACLES, name, status, s -> s.oracle(hidden, id -> s.send(who, method, path.replace("{id}", id),
                body == null ? null : body.replace("{id}", id))));
    }

    /** A PocketBase-shape batch of one operation ({@code body} null = none). */
    static String pb(String method, String url, String body) {
        return BatchOps.requests(BatchOps.pb(method, url, body));
    }

    static String pbOp(String method, String url, String body) {
        return BatchOps.pb(method, url, body);
    }

    /** A seed-shape batch of one operation ({@code id} and {@code data} null = none). */
    static String seed(String method, String collection, String id, String data) {
        return BatchOps.requests(BatchOps.seed(method, collection, id, data));
    }

    /** The attack may change the store (it writes what the attacker is allowed to write); {@code why} documents it. */
    Attack changes(String why) {
        return new Attack(family, name + " (" + why + ")", status, false, env, given, script, check);
    }

    Attack given(Given g) {
        return new Attack(family, name, status, unchanged, env, g, script, check);
    }

    Attack then(Check c) {
        return new Attack(family, name, status, unchanged, env, given, script, c);
    }

    Attack env(String key, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(key, value);
        return new Attack(family, name, status, unchanged, e, given, script, check);
    }
}
