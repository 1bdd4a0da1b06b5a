package dev.nanodb.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of an API table: a fresh server (with {@code env} on top of the test defaults), setup requests, the
 * request under test with its expected answer, then follow-up requests that check what the request did (or did
 * not) change. Every step's expectations are checked; see {@link ScenarioRunner}.
 *
 * <pre>
 * Scenario.named("PATCH with a stale _expectedVersion is refused")
 *         .given(create("posts", "{'title':'a'}"), patch(".../{id}", "{'title':'b'}"))
 *         .when(patch(".../{id}", "{'title':'c','_expectedVersion':1}").expect(409))
 *         .then(get(".../{id}").has("'title':'b'"));
 * </pre>
 */
public record Scenario(String name, Map<String, String> env, List<String> users, List<Step> setup, Step request,
                       List<Step> after) {

    public Scenario {
        env = Map.copyOf(env);
        users = List.copyOf(users);
        setup = List.copyOf(setup);
        after = List.copyOf(after);
    }

    public static Scenario named(String name) {
        return new Scenario(name, Map.of(), List.of(), List.of(), null, List.of());
    }

    /**
     * Users signed up in {@code users} before the first step ({@code alice} → {@code alice@example.com},
     * password {@code password123}); steps act as one with {@link Step#as}, and {@code {alice}} is its id.
     */
    public Scenario users(String... names) {
        List<String> u = new ArrayList<>(users);
        u.addAll(List.of(names));
        return new Scenario(name, env, u, setup, request, after);
    }

    public Scenario given(Step... steps) {
        List<Step> s = new ArrayList<>(setup);
        s.addAll(List.of(steps));
        return new Scenario(name, env, users, s, request, after);
    }

    public Scenario when(Step under) {
        return new Scenario(name, env, users, setup, under, after);
    }

    public Scenario then(Step... steps) {
        List<Step> a = new ArrayList<>(after);
        a.addAll(List.of(steps));
        return new Scenario(name, env, users, setup, request, a);
    }

    public Scenario env(String key, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(key, value);
        return new Scenario(name, e, users, setup, request, after);
    }

    @Override
    public String toString() {
        return name;
    }
}
