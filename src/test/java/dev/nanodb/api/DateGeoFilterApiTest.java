package dev.nanodb.api;

import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 17: PocketBase's date macros in filters and rules (for superusers too: {@code @todayStart} once answered
 * 403 to them), {@code strftime} and {@code geoDistance} in filters and sorts, and the {@code geoPoint} field type.
 * Dates are far in the past and future, or between {@code @yesterday} and {@code @tomorrow}, so a run across
 * midnight gives the same answers.
 */
class DateGeoFilterApiTest {
    private static final String NOW = Instant.now().toString();

    @TestFactory
    Stream<DynamicTest> datesAndPoints() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step events() {
        return collection("{'name':'events','fields':[{'name':'title','type':'text'},{'name':'when','type':'date'}],"
                + "'listRule':'','viewRule':'when < @todayStart','createRule':'@request.body.when > @yesterday'}").expect(200);
    }

    private static Step places(String extra) {
        return collection("{'name':'places','fields':[{'name':'name','type':'text'},{'name':'loc','type':'geoPoint'" + extra
                + "}],'listRule':'','viewRule':'','createRule':''}").expect(200);
    }

    private static final String GEO = "geoDistance(loc.lon, loc.lat, 2.35, 48.85)";

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("date macros filter a list for a superuser and a user alike")
                        .users("alice")
                        .given(events(),
                                create("events", "{'title':'past','when':'2000-01-01 10:00:00.000Z'}").expect(200),
                                create("events", "{'title':'now','when':'" + NOW + "'}").expect(200),
                                create("events", "{'title':'future','when':'2999-06-01'}").expect(200))
                        .when(list("events", "filter", "when < @todayStart").expect(200).at("/totalItems", 1)
                                .at("/items/0/title", "past"))
                        .then(list("events", "filter", "when < @todayStart").as("alice").expect(200).at("/totalItems", 1),
                                list("events", "filter", "when > @yesterday && when < @tomorrow").as("anon").expect(200)
                                        .at("/totalItems", 1).at("/items/0/title", "now"),
                                list("events", "filter", "when > @todayEnd && when > @yearEnd && when > @monthEnd")
                                        .as("alice").expect(200).at("/totalItems", 1).at("/items/0/title", "future"),
                                list("events", "filter", "when >= @yearStart && when >= @monthStart && when <= @now")
                                        .as("alice").expect(200).at("/totalItems", 1).at("/items/0/title", "now"),
                                list("events", "filter", "@year > 2000 && @month >= 1 && @day >= 1 && @weekday < 7 && "
                                        + "@hour < 24 && @minute < 60 && @second < 60").as("alice").expect(200).at("/totalItems", 3),
                                list("events", "filter", "when < @today").expect(400).at("/data/filter/code", "validation_invalid_filter"),
                                list("events", "filter", "when < @today").as("alice").expect(400)),
                Scenario.named("date macros in rules: a view rule and a create rule")
                        .users("alice")
                        .given(events(),
                                create("events", "{'title':'past','when':'2000-01-01'}").expect(200),
                                create("events", "{'title':'now','when':'" + NOW + "'}").expect(200))
                        .when(create("events", "{'title':'late','when':'2000-01-02'}").as("alice").expect(400))
                        // created, but not viewable under `when < @todayStart`: NanoDB answers 204 without the record
                        .then(create("events", "{'title':'soon','when':'2999-01-01'}").as("alice").expect(204),
                                create("events", "{'title':'old','when':'1999-01-01'}").expect(200).at("/title", "old"),
                                get(Fixtures.record("events", "{id}")).as("alice").expect(200).at("/title", "old"),
                                list("events").as("alice").expect(200).at("/totalItems", 4)),
                Scenario.named("strftime in a filter, and malformed calls are 400")
                        .users("alice")
                        .given(events(),
                                create("events", "{'title':'past','when':'2000-02-29 23:30:00.000Z'}").expect(200),
                                create("events", "{'title':'now','when':'" + NOW + "'}").expect(200))
                        .when(list("events", "filter", "strftime('%Y-%m-%d', when) = '2000-02-29'").as("alice").expect(200)
                                .at("/totalItems", 1).at("/items/0/title", "past"))
                        .then(list("events", "filter", "strftime('%Y-%j %H', when, '+1 hours') = '2000-061 00'").expect(200)
                                        .at("/totalItems", 1),
                                list("events", "filter", "strftime('%Y', when) = strftime('%Y')").as("anon").expect(200)
                                        .at("/items/0/title", "now"),
                                list("events", "filter", "strftime('%Q', when) = ''").as("alice").expect(400)
                                        .at("/data/filter/code", "validation_invalid_filter"),
                                list("events", "filter", "nope(when) = 1").as("alice").expect(400),
                                list("events", "filter", "strftime('%Y', when, 'localtime') = ''").expect(400),
                                list("events", "filter", "geoDistance(1, 2, 3) < 1").expect(400),
                                list("events", "filter", "strftime('%Y', secret) = ''").as("alice").expect(400),
                                list("events", "filter", "strftime('%Y', @request.auth.id) = ''").as("alice").expect(403)),
                Scenario.named("geoPoint: validation as PocketBase, the zero point by default")
                        .given(places(""))
                        .when(create("places", "{'name':'far','loc':{'lon':200,'lat':0}}").expect(400)
                                .at("/data/loc/code", "validation_invalid_longitude"))
                        .then(create("places", "{'name':'far','loc':{'lon':0,'lat':-91}}").expect(400)
                                        .at("/data/loc/code", "validation_invalid_latitude"),
                                create("places", "{'name':'x','loc':'12,41'}").expect(400)
                                        .at("/data/loc/code", "validation_invalid_geo_point"),
                                create("places", "{'name':'x','loc':{'lon':'12','lat':41}}").expect(400)
                                        .at("/data/loc/code", "validation_invalid_geo_point"),
                                create("places", "{'name':'none'}").expect(200).matches("/loc/lon", "0(\\.0)?").matches("/loc/lat", "0(\\.0)?"),
                                get("/api/collections/places").expect(200).at("/fields/1/type", "geoPoint")),
                Scenario.named("a required geoPoint refuses the zero point")
                        .given(places(",'required':true"))
                        .when(create("places", "{'name':'none'}").expect(400).at("/data/loc/code", "validation_required"))
                        .then(create("places", "{'name':'rome','loc':{'lon':12.4964,'lat':41.9028}}").expect(200)),
                Scenario.named("functions in rules: a list rule by distance, a view rule by year")
                        .users("alice")
                        .given(collection("{'name':'places','fields':[{'name':'name','type':'text'},{'name':'loc','type':'geoPoint'},"
                                        + "{'name':'when','type':'date'}],'listRule':'geoDistance(loc.lon, loc.lat, 12.5, 41.9) < 25',"
                                        + "'viewRule':'strftime(\\'%Y\\', when) = \\'2000\\'','createRule':''}").expect(200),
                                create("places", "{'name':'rome','loc':{'lon':12.4964,'lat':41.9028},'when':'2001-01-01'}").expect(200),
                                create("places", "{'name':'paris','loc':{'lon':2.3522,'lat':48.8566},'when':'2000-05-01'}").expect(200))
                        .when(list("places").as("alice").expect(200).at("/totalItems", 1).at("/items/0/name", "rome"))
                        .then(get(Fixtures.record("places", "{id}")).as("alice").expect(200).at("/name", "paris"),
                                collection("{'name':'bad','listRule':'nope(x) = 1'}").expect(400).present("/data/listRule"),
                                collection("{'name':'bad','fields':[{'name':'t','type':'text'}],'listRule':'strftime(\\'%Y\\', u) = \\'\\''}")
                                        .expect(400).present("/data/listRule")),
                Scenario.named("geoDistance filters and sorts a list")
                        .users("alice")
                        .given(places(""),
                                create("places", "{'name':'rome','loc':{'lon':12.4964,'lat':41.9028}}").expect(200),
                                create("places", "{'name':'paris','loc':{'lon':2.3522,'lat':48.8566}}").expect(200),
                                create("places", "{'name':'none'}").expect(200))
                        .when(list("places", "filter", "geoDistance(loc.lon, loc.lat, 12.5, 41.9) < 25").as("alice")
                                .expect(200).at("/totalItems", 1).at("/items/0/name", "rome"))
                        .then(list("places", "sort", GEO).as("alice").expect(200).at("/items/0/name", "paris")
                                        .at("/items/1/name", "rome").at("/items/2/name", "none"),
                                list("places", "sort", "-" + GEO + ",name").as("anon").expect(200)
                                        .at("/items/0/name", "none").at("/items/2/name", "paris"),
                                list("places", "filter", GEO + " < 1200 && " + GEO + " > 1", "sort", "-name").expect(200)
                                        .at("/totalItems", 1).at("/items/0/name", "rome"),
                                list("places", "sort", "geoDistance(loc.lon, loc.lat, 1)").expect(400)
                                        .at("/data/sort/code", "validation_invalid_sort"),
                                list("places", "sort", "nope(loc)").as("alice").expect(400)));
    }
}
