package dev.nanodb.realtime;

import static dev.nanodb.realtime.Fixture.WAIT;
import static dev.nanodb.realtime.Fixture.collection;
import static dev.nanodb.realtime.Fixture.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events judged by a list rule that joins an unrelated collection ({@code @collection.members…}): each subscriber
 * gets exactly the docs of the teams it is a member of, judged at the time of the change (a membership added later
 * counts for later changes), and a superuser's subscription filter may join too.
 */
@Timeout(60)
class RealtimeJoinRuleTest extends RealtimeTestSupport {

    @Test
    void eachSubscriberGetsTheDocsOfItsOwnTeamsAsMembershipStandsAtTheChange() {
        Fixture.User alice = Fixture.user(server, "alice");
        Fixture.User bob = Fixture.user(server, "bob");
        String members = collection(server, Fixture.name("rjmembers"),
                "[{'name':'team','type':'text'},{'name':'user','type':'text'}]", null, null);
        String rule = "@collection." + members + ".team ?= team && @collection." + members + ".user ?= @request.auth.id";
        String docs = collection(server, Fixture.name("rjdocs"), "[{'name':'title','type':'text'},{'name':'team','type':'text'}]",
                rule, "");
        create(server, members, "{'team':'red','user':'" + alice.id() + "'}");
        create(server, members, "{'team':'blue','user':'" + bob.id() + "'}");
        try (SseClient a = open(""); SseClient b = open(""); SseClient su = open("")) {
            a.subscribeOk(alice.token(), docs + "/*");
            b.subscribeOk(bob.token(), docs + "/*");
            su.subscribeOk(server.superuserToken(), Fixture.withOptions(docs + "/*", Map.of("filter",
                    "@collection." + members + ".team ?= team && @collection." + members + ".user ?= \"" + bob.id() + "\"")));
            String red1 = create(server, docs, "{'title':'r1','team':'red'}");
            String blue1 = create(server, docs, "{'title':'b1','team':'blue'}");
            a.untilRecord(red1, WAIT);
            b.untilRecord(blue1, WAIT);
            su.untilRecord(blue1, WAIT);
            create(server, members, "{'team':'red','user':'" + bob.id() + "'}");
            String red2 = create(server, docs, "{'title':'r2','team':'red'}");
            a.untilRecord(red2, WAIT);
            b.untilRecord(red2, WAIT);
            su.untilRecord(red2, WAIT);
            String blue2 = create(server, docs, "{'title':'b2','team':'blue'}");
            b.untilRecord(blue2, WAIT);
            su.untilRecord(blue2, WAIT);
            String red3 = create(server, docs, "{'title':'r3','team':'red'}");
            a.untilRecord(red3, WAIT);
            b.untilRecord(red3, WAIT);
            su.untilRecord(red3, WAIT);
            assertThat(ids(a)).as("alice: red docs only").containsExactly(red1, red2, red3);
            assertThat(ids(b)).as("bob: blue, and red once a member").containsExactly(blue1, red2, blue2, red3);
            assertThat(ids(su)).as("the superuser's join filter: bob's teams").containsExactly(blue1, red2, blue2, red3);
        }
    }

    private static List<String> ids(SseClient s) {
        return SseClient.changes(s.events()).stream().map(Event::recordId).toList();
    }
}
