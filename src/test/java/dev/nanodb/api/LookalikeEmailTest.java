package dev.nanodb.api;

import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 13, "also seen": e-mail addresses with characters that do not show — NUL and other controls, zero-width
 * space and joiners, bidi controls, the byte order mark, separators other than the ASCII space, private-use
 * code points — were accepted, so two accounts could look alike to people and differ to the server. Each is now a
 * 400 on {@code data.email} at sign-up and on an e-mail change, and nothing is stored; ordinary non-ASCII
 * letters stay valid.
 */
class LookalikeEmailTest {

    @TestFactory
    Stream<DynamicTest> invisibleCharactersAreNotEmailAddresses() {
        return ScenarioRunner.tests(scenarios());
    }

    private static String signUp(String email) {
        return "{'email':'" + email + "','password':'password123','passwordConfirm':'password123'}";
    }

    private static List<Scenario> scenarios() {
        List<String[]> hidden = List.of(
                new String[] {"NUL", "\\u0000"}, new String[] {"a tab", "\\t"}, new String[] {"zero-width space", "\\u200b"},
                new String[] {"zero-width joiner", "\\u200d"}, new String[] {"right-to-left override", "\\u202e"},
                new String[] {"byte order mark", "\\ufeff"}, new String[] {"no-break space", "\\u00a0"},
                new String[] {"ideographic space", "\\u3000"}, new String[] {"line separator", "\\u2028"},
                new String[] {"a private-use character", "\\ue000"});
        List<Scenario> out = new ArrayList<>();
        for (String[] h : hidden) {
            out.add(Scenario.named("sign-up with " + h[0] + " in the address: 400, nothing stored")
                    .when(create("users", signUp("ali" + h[1] + "ce@example.com")).as("anon").expect(400)
                            .at("/data/email/code", "validation_invalid_email"))
                    .then(list("users").at("/totalItems", 0)));
        }
        out.add(Scenario.named("an e-mail change to an address with a zero-width space: 400, unchanged").users("alice")
                .when(patch("/api/collections/users/records/{alice}", "{'email':'ali\\u200bce@example.com'}").as("alice")
                        .expect(400).at("/data/email/code", "validation_invalid_email"))
                .then(list("users", "filter", "email = 'alice@example.com'").at("/totalItems", 1)));
        out.add(Scenario.named("an accent written as a combining mark is the same address as the composed letter (NFC)")
                .given(create("users", signUp("jos\\u00e9@example.com")).as("anon").expect(200))
                .when(create("users", signUp("jose\\u0301@example.com")).as("anon").expect(409)
                        .at("/data/email/code", "validation_not_unique"))
                .then(list("users").at("/totalItems", 1)));
        out.add(Scenario.named("letters beyond ASCII stay valid")
                .when(create("users", signUp("jos\\u00e9@example.com")).as("anon").expect(200)
                        .at("/email", "jos\u00e9@example.com")));
        return out;
    }
}
