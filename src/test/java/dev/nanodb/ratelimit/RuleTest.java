package dev.nanodb.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.config.RateLimitRules;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Path matching by whole segments, which of several matching rules counts a request, and a rule's collection
 * segment matching that collection by name or id.
 */
class RuleTest {
    private static final String[] RULES = {
        "* /", "* /api", "GET /api/collections/*/records", "* /api/collections/*/records",
        "GET /api/collections/notes/records", "POST /api/collections/*/auth-with-password", "* /api/*/x",
        "* /api/collections/x"};

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET|/health|* /",
        "GET|/apix|* /",
        "GET|/api|* /api",
        "GET|/api/|* /api",
        "DELETE|/api/collections|* /api",
        "GET|/api/collections/notes/records|GET /api/collections/notes/records",
        "GET|/api/collections/notes/records/abc|GET /api/collections/notes/records",
        "GET|/api/collections/posts/records|GET /api/collections/*/records",
        "POST|/api/collections/notes/records|* /api/collections/*/records",
        "POST|/api/collections/users/auth-with-password|POST /api/collections/*/auth-with-password",
        "GET|/api/collections/users/auth-with-password|* /api",
        "GET|/api/collections/x|* /api/collections/x",
        "GET|/api/other/x|* /api/*/x",
        "GET|/api//x|* /api"})
    void theMostSpecificMatchingRuleWins(String method, String path, String expected) {
        Rule[] rules = Arrays.stream(RULES).map(RuleTest::rule).sorted(Rule.SPECIFIC_FIRST).toArray(Rule[]::new);
        String winner = null;
        for (Rule r : rules) {
            if (r.matches(method, path, NO_COLLECTIONS, () -> 0)) {
                winner = r.key();
                break;
            }
        }
        assertThat(winner).isEqualTo(expected);
    }

    private static final Rule.Collections NO_COLLECTIONS = nameOrId -> Optional.empty();
    private static final CollectionDef USERS = collection("pbc_users000000", "users");
    private static final CollectionDef NOTES = collection("pbc_notes000000", "notes");

    /** The store's lookup over {@code users} and {@code notes}: by name, else by id. */
    private static Optional<CollectionDef> find(String nameOrId) {
        for (CollectionDef c : List.of(USERS, NOTES)) if (c.name().equals(nameOrId)) return Optional.of(c);
        for (CollectionDef c : List.of(USERS, NOTES)) if (c.id().equals(nameOrId)) return Optional.of(c);
        return Optional.empty();
    }

    @ParameterizedTest(name = "{0} {1} under [{2}] -> {3}")
    @CsvSource(delimiter = '|', value = {
        "POST|/api/collections/users/records|POST /api/collections/users/records|true",
        "POST|/api/collections/pbc_users000000/records|POST /api/collections/users/records|true",
        "POST|/api/collections/pbc_users000000/records/x|POST /api/collections/users/records|true",
        "POST|/api/collections/pbc_users000000/auth-with-password|POST /api/collections/users|true",
        "POST|/api/collections/pbc_notes000000/records|POST /api/collections/users/records|false",
        "POST|/api/collections/notes/records|POST /api/collections/users/records|false",
        "POST|/api/collections/pbc_unknown0000/records|POST /api/collections/users/records|false",
        "POST|/api/collections/pbc_users000000/other|POST /api/collections/users/records|false",
        "GET|/api/collections/pbc_users000000/records|POST /api/collections/users/records|false",
        "POST|/api/collections/users/records|POST /api/collections/pbc_users000000/records|true",
        "POST|/api/collections/pbc_users000000/records|POST /api/collections/pbc_users000000/records|true",
        "POST|/api/collections/notes/records|POST /api/collections/pbc_users000000/records|false",
        "POST|/api/collections/absent/records|POST /api/collections/absent/records|true",
        "POST|/api/other/pbc_users000000/records|POST /api/other/users/records|false",
        "POST|/api/collections/pbc_users000000/records|* /api/collections/*/records|true"})
    void aCollectionSegmentMatchesItsCollectionByNameOrId(String method, String path, String spec, boolean matches) {
        assertThat(rule(spec).matches(method, path, RuleTest::find, () -> 0)).isEqualTo(matches);
    }

    /**
     * The lookup runs only for a request that matches everything but the collection segment, and a name no
     * collection answers to is asked once per {@link Rule#UNKNOWN_RECHECK_MILLIS}.
     */
    @Test
    void theCollectionIsLookedUpOnlyWhenItCanDecideAndAMissIsRememberedBriefly() {
        List<String> asked = new ArrayList<>();
        Rule.Collections counting = nameOrId -> {
            asked.add(nameOrId);
            return find(nameOrId);
        };
        long[] now = {0};
        LongSupplier clock = () -> now[0];
        Rule users = rule("POST /api/collections/users/records");
        assertThat(users.matches("POST", "/api/collections/users/records", counting, clock)).isTrue();
        assertThat(users.matches("GET", "/api/collections/pbc_users000000/records", counting, clock)).isFalse();
        assertThat(users.matches("POST", "/api/collections/pbc_users000000/other", counting, clock)).isFalse();
        assertThat(asked).isEmpty();
        assertThat(users.matches("POST", "/api/collections/pbc_users000000/records", counting, clock)).isTrue();
        assertThat(asked).containsExactly("users");

        asked.clear();
        Rule absent = rule("POST /api/collections/members/records");
        assertThat(absent.matches("POST", "/api/collections/x/records", counting, clock)).isFalse();
        now[0] = Rule.UNKNOWN_RECHECK_MILLIS - 1;
        assertThat(absent.matches("POST", "/api/collections/y/records", counting, clock)).isFalse();
        assertThat(asked).containsExactly("members");
        now[0] = Rule.UNKNOWN_RECHECK_MILLIS;
        assertThat(absent.matches("POST", "/api/collections/z/records", counting, clock)).isFalse();
        assertThat(asked).containsExactly("members", "members");
    }

    private static CollectionDef collection(String id, String name) {
        return new CollectionDef(id, name, CollectionType.AUTH, true, false, List.of(), null, "", "", List.of());
    }

    private static Rule rule(String spec) {
        String[] parts = spec.split(" ");
        return Rule.of(parts[0], RateLimitRules.path(parts[1]), 1, 1000, new LongAdder());
    }
}
