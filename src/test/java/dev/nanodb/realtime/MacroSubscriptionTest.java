package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient.Event;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription filter with date macros and functions: macros are valued at each event (not frozen when the
 * client subscribed), for a user and a superuser alike; strftime and geoDistance evaluate as in a list.
 */
@Timeout(60)
class MacroSubscriptionTest extends RealtimeTestSupport {

    private static String filtered(String c, String filter) {
        return Fixture.withOptions(c + "/*", Map.of("filter", filter));
    }

    @Test
    void macrosAndFunctionsFilterEvents() {
        String c = Fixture.collection(server, Fixture.name("macros"),
                "[{'name':'when','type':'date'},{'name':'loc','type':'geoPoint'}]", "", "");
        try (SseClient user = open(""); SseClient superuser = open("")) {
            user.subscribeOk(null, filtered(c, "when > @yesterday && when < @tomorrow && strftime('%Y', when) = strftime('%Y')"));
            superuser.subscribeOk(server.superuserToken(), filtered(c, "when < @todayStart || geoDistance(loc.lon, loc.lat, 12.5, 41.9) < 25"));
            String old = Fixture.create(server, c, "{'when':'2000-01-01 10:00:00.000Z'}");
            String rome = Fixture.create(server, c, "{'when':'2999-01-01','loc':{'lon':12.4964,'lat':41.9028}}");
            String now = Fixture.create(server, c, "{'when':'" + Instant.now() + "'}");
            assertThat(SseClient.changes(user.untilRecord(now, Fixture.WAIT))).extracting(Event::recordId).containsExactly(now);
            assertThat(SseClient.changes(superuser.untilRecord(rome, Fixture.WAIT))).extracting(Event::recordId)
                    .containsExactly(old, rome);
        }
    }
}
