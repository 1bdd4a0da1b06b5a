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
 * The subscription option {@code expand} ({@code options.query.expand}, as the SDK sends {@code subscribe('*', cb,
 * {expand})}): each subscriber gets the event's record expanded as that subscriber may see it — the owner of the
 * author gets it, another user does not, neither gets a hidden field — and {@code fields} picks inside it.
 */
@Timeout(60)
class RealtimeExpandTest extends RealtimeTestSupport {

    @Test
    void eachSubscriberGetsTheExpansionItsOwnViewRuleAdmits() {
        Fixture.User alice = Fixture.user(server, "alice");
        Fixture.User bob = Fixture.user(server, "bob");
        String authors = collection(server, Fixture.name("rxauthors"), Fixture.FIELDS, "owner_id = @request.auth.id", "");
        String posts = collection(server, Fixture.name("rxposts"), "[{'name':'title','type':'text'},"
                + "{'name':'author','type':'relation','collectionId':'" + authors + "','maxSelect':1}]", "", "");
        String ann = create(server, authors, "{'title':'Ann','secret':'HIDDEN-RX','owner_id':'" + alice.id() + "'}");
        try (SseClient as = open(""); SseClient bs = open(""); SseClient plain = open("")) {
            as.subscribeOk(alice.token(), Fixture.withOptions(posts + "/*", Map.of("expand", "author")));
            bs.subscribeOk(bob.token(), Fixture.withOptions(posts + "/*", Map.of("expand", "author")));
            plain.subscribeOk(alice.token(), Fixture.withOptions(posts + "/*",
                    Map.of("expand", "author", "fields", "id,expand.author.title")));
            String p = create(server, posts, "{'title':'p','author':'" + ann + "'}");

            Map<String, Object> got = only(as.untilRecord(p, WAIT)).record();
            assertThat(got).containsKey("expand");
            assertThat(map(map(got.get("expand")).get("author"))).containsEntry("id", ann).containsEntry("title", "Ann")
                    .doesNotContainKey("secret");

            Event forBob = only(bs.untilRecord(p, WAIT));
            assertThat(map(forBob.record().get("expand"))).as("bob may not view Ann").doesNotContainKey("author");
            assertThat(forBob.data()).doesNotContain("Ann", "HIDDEN-RX");

            Map<String, Object> picked = only(plain.untilRecord(p, WAIT)).record();
            assertThat(picked).containsOnlyKeys("id", "expand");
            assertThat(map(map(picked.get("expand")).get("author"))).containsOnlyKeys("title");
        }
    }

    private static Event only(List<Event> events) {
        List<Event> changes = SseClient.changes(events);
        assertThat(changes).hasSize(1);
        return changes.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
