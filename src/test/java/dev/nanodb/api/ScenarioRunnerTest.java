package dev.nanodb.api;

import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The scenario framework itself: wrong expectations must fail, placeholders must resolve. */
class ScenarioRunnerTest {

    @AfterAll
    static void closeServers() throws Exception {
        ScenarioRunner.awaitClosed();
    }

    @Test
    void aWrongStatusFailsTheScenario() {
        Scenario s = Scenario.named("wrong status").when(get("/health").expect(404));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class).hasMessageContaining("status");
    }

    @Test
    void aMissingFragmentFailsTheScenario() {
        Scenario s = Scenario.named("missing fragment").when(get("/health").expect(200).has("'status':'broken'"));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"status\":\"broken\"");
    }

    @Test
    void aForbiddenFragmentFailsTheScenario() {
        Scenario s = Scenario.named("forbidden fragment").when(get("/health").expect(200).lacks("'status':'ok'"));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aWrongJsonValueFailsTheScenario() {
        Scenario s = Scenario.named("json value").when(get("/api/health").expect(200).at("/code", 500));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class).hasMessageContaining("/code");
    }

    /** An empty list and a missing one are different answers: {@code size(p, 0)} must not accept the second. */
    @Test
    void aSizeOfAMissingOrScalarNodeFailsTheScenario() {
        Scenario missing = Scenario.named("size of missing").when(get("/api/health").expect(200).size("/nothing", 0));
        assertThatThrownBy(() -> ScenarioRunner.run(missing)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("/nothing").hasMessageContaining("must be an array or object, is missing");
        Scenario scalar = Scenario.named("size of scalar").when(get("/api/health").expect(200).size("/message", 0));
        assertThatThrownBy(() -> ScenarioRunner.run(scalar)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("/message");
        Scenario empty = Scenario.named("size of empty").when(get("/api/health").expect(200).size("/data", 0));
        assertThatCode(() -> ScenarioRunner.run(empty)).doesNotThrowAnyException();
    }

    @Test
    void aFailingSetupStepFailsTheScenario() {
        Scenario s = Scenario.named("setup").given(get("/api/nothing-here")).when(get("/health").expect(200));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class).hasMessageContaining("setup");
    }

    @Test
    void aFailingFollowUpFailsTheScenario() {
        Scenario s = Scenario.named("follow-up").when(get("/health").expect(200)).then(get("/health").expect(201));
        assertThatThrownBy(() -> ScenarioRunner.run(s)).isInstanceOf(AssertionError.class).hasMessageContaining("follow-up");
    }

    @Test
    void placeholdersResolveToCreatedIdsInUrlsBodiesAndExpectations() {
        Scenario s = Scenario.named("placeholders")
                .given(create("notes", "{'n':1}"), create("notes", "{'n':2}"))
                .when(get(Fixtures.record("notes", "{id1}")).expect(200).at("/id", "{id1}").at("/n", 1))
                .then(get(Fixtures.record("notes", "{id}")).at("/id", "{id2}").at("/n", 2),
                        Step.list("notes", "filter", "id = '{id2}'").at("/totalItems", 1).has("{id2}").lacks("{id1}"));
        assertThatCode(() -> ScenarioRunner.run(s)).doesNotThrowAnyException();
    }

    @Test
    void urlsEncodeQueryValues() {
        assertThat(Step.url("/p", "filter", "a > 1 && b ~ \"x\"", "sort", "-a"))
                .isEqualTo("/p?filter=a%20%3E%201%20%26%26%20b%20%7E%20%22x%22&sort=-a");
    }
}
