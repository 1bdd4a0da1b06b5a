package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.StallProbe;
import dev.nanodb.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 13's adversarial suite: attacks as a real attacker would send them, over real HTTP (and SSE) against a
 * real server, in five families — oracles (status codes, counts, versions and messages that would tell whether a
 * hidden record or value exists), rule bypass (every write and read route, single and in both batch shapes),
 * realtime (both protocols), token forgery, and resource exhaustion. The rows are in the
 * {@code Adversarial*Cases} tables; this class runs them and holds every one to the same four promises, whatever
 * its own expected answer:
 * <ol>
 *   <li><b>no leak</b>: no answer (status line aside: body and headers, and every event of the attacker's
 *       streams) holds a marker of what the attacker may not see ({@link AdversarialWorld}); an oracle probe gets
 *       the same status, headers and body for a record that exists hidden as for one that exists nowhere (the
 *       probed id itself, which the attacker chose, is the only difference allowed);</li>
 *   <li><b>no 5xx</b> and no exception name or stack frame in any body;</li>
 *   <li><b>no stall</b>: while the attack runs, {@code GET /health} over new connections never takes more than
 *       {@value #STALL_MILLIS} ms ({@link StallProbe});</li>
 *   <li><b>nothing changed</b> that the attack must not change: every record byte for byte and every collection
 *       definition, and the superuser's consistency check is clean after every attack.</li>
 * </ol>
 * Attacks that change nothing share one seeded server; an attack that needs its own limits (streams per IP,
 * subscriptions, rate limits) gets a fresh one. The oracle rows run once more on a shared PostgreSQL-backed server,
 * since each store decides existence, rules and versions in its own writer. Why: these promises hold for every
 * route at once, and a hole closed on one route tends to stay open on its neighbour (the batch shapes, the realtime
 * filters) — a table that sends every attack to every entry point keeps them closed as the code changes.
 */
class AdversarialTest {
    static final int STALL_MILLIS = 200;
    static final Pattern LEAK = Pattern.compile(
            "Exception|java\\.|javax\\.|dev\\.nanodb\\.|io\\.vertx|io\\.netty|com\\.fasterxml|\\bat [a-z]+\\.[a-z]+");
    /** Headers that differ between any two requests (rate-limit windows), ignored when oracle answers are compared. */
    private static final Set<String> VARYING = Set.of("x-ratelimit-remaining", "x-ratelimit-reset");
    /** The settings of the oracle rows' second run: on PostgreSQL, whose writer compares versions in SQL. */
    private static final Map<String, String> POSTGRES = Map.of(TestServer.BACKEND, TestServer.POSTGRES);
    private static AdversarialWorld shared;
    private static AdversarialWorld sharedPostgres;

    @BeforeAll
    static void seed() {
        shared = AdversarialWorld.start(Map.of(), true);
    }

    @AfterAll
    static void stop() {
        if (shared != null) shared.close();
        if (sharedPostgres != null) sharedPostgres.close();
    }

    static List<Attack> all() {
        List<Attack> all = new ArrayList<>();
        all.addAll(AdversarialOracleCases.all());
        all.addAll(AdversarialRuleCases.all());
        all.addAll(AdversarialRealtimeCases.all());
        all.addAll(AdversarialTokenCases.all());
        all.addAll(AdversarialModifierCases.all());
        all.addAll(AdversarialExhaustionCases.all());
        all.addAll(AdversarialExpandCases.all());
        all.addAll(AdversarialRelationCases.all());
        all.addAll(AdversarialFileCases.all());
        all.addAll(AdversarialAccountCases.all());
        all.addAll(AdversarialOAuth2Cases.all());
        all.addAll(AdversarialPasswordFieldCases.all());
        all.addAll(AdversarialBackupCases.all());
        all.addAll(AdversarialLogCases.all());
        return all;
    }

    /** The oracle rows once more on PostgreSQL: existence, rules and versions are decided by each store's own writer. */
    static List<Attack> onPostgres(List<Attack> attacks) {
        return attacks.stream().filter(a -> a.family().equals(Attack.ORACLES) && a.env().isEmpty())
                .map(a -> new Attack(a.family(), a.name() + " [postgres]", a.status(), a.unchanged(), POSTGRES, a.given(),
                        a.script(), a.check()))
                .toList();
    }

    @TestFactory
    Stream<DynamicTest> attacksLeakNothingStallNothingAndChangeNothing() {
        List<Attack> attacks = new ArrayList<>(all());
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(60);
        attacks.addAll(onPostgres(attacks));
        assertThat(attacks.stream().map(Attack::name).distinct().count()).as("attack names are unique").isEqualTo(attacks.size());
        return attacks.stream().map(a -> DynamicTest.dynamicTest("[" + a.family() + "] " + a.name(),
                () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> onItsServer(a))));
    }

    private static void onItsServer(Attack a) throws Exception {
        if (a.env().isEmpty()) {
            execute(shared, a);
            return;
        }
        if (a.env().equals(POSTGRES)) {
            synchronized (AdversarialTest.class) {
                if (sharedPostgres == null) sharedPostgres = AdversarialWorld.start(POSTGRES, false);
            }
            execute(sharedPostgres, a);
            return;
        }
        try (AdversarialWorld fresh = AdversarialWorld.start(a.env(), false)) {
            execute(fresh, a);
        }
    }

    private static void execute(AdversarialWorld w, Attack a) throws Exception {
        if (a.given() != null) a.given().run(w);
        AdversarialWorld.Snapshot before = w.snapshot();
        long worst;
        int probes;
        try (AdversarialSession s = new AdversarialSession(w)) {
            try (StallProbe probe = StallProbe.start(w.baseUrl())) {
                a.script().run(s);
                probe.close();
                worst = probe.worstMillis();
                probes = probe.probes();
            }
            String where = a.name() + "\n  first answer: " + describe(s.first());
            if (a.status() != Attack.ANY) assertThat(s.first().status()).as(where + "\n  status").isEqualTo(a.status());
            for (RawHttp.Answer answer : s.answers()) clean(w, answer, a.name());
            if (s.oracleIds != null) sameAnswers(s, where);
            if (a.check() != null) a.check().run(s);
            assertThat(worst).as(where + "\n  slowest /health during the attack (%d probes)", probes).isLessThanOrEqualTo(STALL_MILLIS);
        }
        w.assertConsistent(a.name());
        if (a.unchanged()) {
            AdversarialWorld.Snapshot after = w.settled(before);
            assertThat(after.sameAs(before)).as(a.name() + "\n  the store changed: " + before.differences(after)).isTrue();
        }
    }

    /** Promises 1 and 2 for one answer. */
    private static void clean(AdversarialWorld w, RawHttp.Answer answer, String name) {
        String where = name + "\n  answer: " + describe(answer);
        assertThat(answer.status()).as(where + "\n  a 5xx").isLessThan(500);
        assertThat(LEAK.matcher(answer.body()).find()).as(where + "\n  an exception name or stack frame in the body").isFalse();
        for (String secret : w.secrets) {
            assertThat(answer.body().contains(secret) || answer.headers().contains(secret))
                    .as(where + "\n  leaks the marker " + secret).isFalse();
        }
    }

    /** The two answers of an oracle probe: the same status, headers and body, the probed id aside. */
    private static void sameAnswers(AdversarialSession s, String where) {
        RawHttp.Answer hidden = s.answer(0);
        RawHttp.Answer missing = s.answer(1);
        String h = normalize(hidden.body(), s.oracleIds);
        String m = normalize(missing.body(), s.oracleIds);
        assertThat(hidden.status()).as(where + "\n  oracle: the status for a hidden record vs a missing one: " + m).isEqualTo(missing.status());
        assertThat(h).as(where + "\n  oracle: the body for a hidden record vs a missing one").isEqualTo(m);
        assertThat(headers(hidden.headers(), s.oracleIds)).as(where + "\n  oracle: the headers").isEqualTo(headers(missing.headers(), s.oracleIds));
    }

    private static String normalize(String text, String[] ids) {
        String out = text;
        for (String id : ids) out = out.replace(id, "{id}");
        return out;
    }

    private static List<String> headers(String head, String[] ids) {
        return Arrays.stream(normalize(head, ids).split("\r\n"))
                .filter(line -> !VARYING.contains(line.substring(0, Math.max(0, line.indexOf(':')))))
                .sorted().collect(Collectors.toList());
    }

    static String describe(RawHttp.Answer a) {
        String body = a.body().length() > 300 ? a.body().substring(0, 300) + "…" : a.body();
        return a.status() + " " + body;
    }

    static JsonNode json(String text) {
        try {
            return ScenarioRunner.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + (text.length() > 300 ? text.substring(0, 300) : text), e);
        }
    }
}
