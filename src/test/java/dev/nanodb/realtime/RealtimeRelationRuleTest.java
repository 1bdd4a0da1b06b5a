package dev.nanodb.realtime;

import static dev.nanodb.realtime.Fixture.WAIT;
import static dev.nanodb.realtime.Fixture.collection;
import static dev.nanodb.realtime.Fixture.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events judged by a list rule that follows a relation ({@code author.owner_id = @request.auth.id}): each of 40
 * subscribers (20 users' streams each for alice and bob) gets exactly the posts of its own authors, judged when the
 * post changed, through the filter lane (the lookups never run on the fan-out thread). The time from a create to
 * the last of its 20 deliveries is measured and printed (no timing assertion: the machine may be busy); it is what
 * a rule's relation lookup per subscriber and event costs, bounded by the lane's budget.
 */
@Timeout(120)
class RealtimeRelationRuleTest extends RealtimeTestSupport {
    private static final int STREAMS_PER_USER = 20;
    private static final int POSTS = 10;

    @Test
    void eachSubscriberGetsThePostsOfItsOwnAuthorsAndTheLookupCostIsMeasured() {
        Fixture.User alice = Fixture.user(server, "alice");
        Fixture.User bob = Fixture.user(server, "bob");
        String authors = collection(server, Fixture.name("rrauthors"), Fixture.FIELDS, "", "");
        String posts = collection(server, Fixture.name("rrposts"), "[{'name':'title','type':'text'},"
                + "{'name':'author','type':'relation','collectionId':'" + authors + "','maxSelect':1}]",
                "author.owner_id = @request.auth.id", "");
        String ann = create(server, authors, "{'title':'Ann','owner_id':'" + alice.id() + "'}");
        String bo = create(server, authors, "{'title':'Bo','owner_id':'" + bob.id() + "'}");
        List<SseClient> aliceStreams = new ArrayList<>();
        List<SseClient> bobStreams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_USER; i++) {
                SseClient a = open("");
                aliceStreams.add(a);
                a.subscribeOk(alice.token(), posts + "/*");
                SseClient b = open("");
                bobStreams.add(b);
                b.subscribeOk(bob.token(), posts + "/*");
            }
            Set<String> annPosts = new java.util.LinkedHashSet<>();
            Set<String> boPosts = new java.util.LinkedHashSet<>();
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < POSTS; i++) {
                boolean forAnn = i % 2 == 0;
                long t0 = System.nanoTime();
                String id = create(server, posts, "{'title':'p" + i + "','author':'" + (forAnn ? ann : bo) + "'}");
                for (SseClient s : forAnn ? aliceStreams : bobStreams) s.untilRecord(id, WAIT);
                latencies.add((System.nanoTime() - t0) / 1e6);
                (forAnn ? annPosts : boPosts).add(id);
            }
            for (SseClient s : aliceStreams) assertOnly(s, annPosts);
            for (SseClient s : bobStreams) assertOnly(s, boPosts);
            latencies.sort(Double::compare);
            System.out.printf("REALTIME relation rule: %d events, each to %d of %d subscribers; create sent → the last of"
                    + " them received: median %.1f ms, max %.1f ms%n", POSTS, STREAMS_PER_USER, 2 * STREAMS_PER_USER,
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
        } finally {
            aliceStreams.forEach(SseClient::close);
            bobStreams.forEach(SseClient::close);
        }
    }

    /** What the stream received: exactly the posts of its user's author, in order. */
    private static void assertOnly(SseClient s, Set<String> expected) {
        Set<String> got = SseClient.changes(s.events()).stream().map(Event::recordId)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        assertThat(got).as("the posts of the subscriber's own authors, nothing else").isEqualTo(expected);
    }
}
