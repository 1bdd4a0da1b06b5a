package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.ID_RE;
import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The field types and options of issue 17 beyond geoPoint and select, on both backends: {@code editor} (stored and
 * served as given, {@code maxSize} in bytes), {@code autodate} ({@code onCreate}/{@code onUpdate}, the record's own
 * stamps, client values ignored), {@code number.onlyInt} and {@code text.autogeneratePattern}. Password fields are
 * in {@link PasswordFieldApiTest}, PocketBase's system field definitions and exports in {@link PocketBaseExportApiTest}.
 */
class FieldTypesApiTest {
    private static final String HTML = "<script>alert(1)</script><p>a &amp; b <b>bold</b></p>";
    static final String NOTES = "{'name':'notes','fields':[{'name':'title','type':'text'},"
            + "{'name':'body','type':'editor','convertURLs':true},{'name':'small','type':'editor','maxSize':10}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':''}";
    static final String STAMPED = "{'name':'stamped','fields':[{'name':'title','type':'text'},"
            + "{'name':'made','type':'autodate','onCreate':true,'indexed':true},"
            + "{'name':'touched','type':'autodate','onUpdate':true},"
            + "{'name':'both','type':'autodate','onCreate':true,'onUpdate':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':''}";
    static final String COUNTS = "{'name':'counts','fields':[{'name':'n','type':'number','onlyInt':true,'min':-5,'max':1000},"
            + "{'name':'x','type':'number'}],'listRule':'','viewRule':'','createRule':'','updateRule':''}";
    static final String CODES = "{'name':'codes','fields':[{'name':'code','type':'text','autogeneratePattern':'[a-z0-9]{15}',"
            + "'required':true},{'name':'ref','type':'text','autogeneratePattern':'INV-[0-9]{4}','pattern':'^INV-[0-9]+$','max':8}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':''}";

    @TestFactory
    Stream<DynamicTest> fieldTypes() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step badField(String field, String pointer, String code) {
        return collection("{'name':'bad','fields':[" + field + "]}").expect(400).at("/data/fields.0." + pointer + "/code", code);
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("editor: HTML stored and served exactly as given, options echoed")
                        .users("alice")
                        .given(collection(NOTES).expect(200).at("/fields/1/type", "editor").at("/fields/1/convertURLs", true)
                                .at("/fields/1/maxSize", 0).at("/fields/2/maxSize", 10))
                        .when(create("notes", "{'title':'t','body':'" + HTML + "'}").as("alice").expect(200).at("/body", HTML))
                        .then(get(record("notes", "{id}")).as("alice").expect(200).at("/body", HTML),
                                list("notes", "filter", "body ~ '<b>bold'", "sort", "-body").as("alice").expect(200)
                                        .at("/totalItems", 1).at("/items/0/body", HTML),
                                list("notes", "fields", "body:excerpt(5)").as("alice").expect(200).matches("/items/0/body", "a & b.*")),
                Scenario.named("editor: maxSize counts bytes of UTF-8, PocketBase's code")
                        .given(collection(NOTES))
                        .when(create("notes", "{'small':'\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'}").expect(400)
                                .at("/data/small/code", "validation_content_size_limit"))
                        .then(create("notes", "{'small':'\u00e9\u00e9\u00e9\u00e9\u00e9'}").expect(200).at("/small", "\u00e9\u00e9\u00e9\u00e9\u00e9"),
                                patch(record("notes", "{id}"), "{'small':'12345678901'}").expect(400)
                                        .at("/data/small/code", "validation_content_size_limit"),
                                create("notes", "{'body':12}").expect(400).at("/data/body/code", "validation_invalid_string")),
                Scenario.named("editor: a negative or fractional maxSize is 400")
                        .when(badField("{'name':'e','type':'editor','maxSize':-1}", "maxSize", "validation_invalid_number"))
                        .then(badField("{'name':'e','type':'editor','maxSize':1.5}", "maxSize", "validation_invalid_number"),
                                badField("{'name':'e','type':'editor','convertURLs':'yes'}", "convertURLs", "validation_invalid_bool")),
                Scenario.named("autodate: stamped with the record's created on create; onUpdate-only is empty")
                        .users("alice")
                        .given(collection(STAMPED).expect(200).at("/fields/1/onCreate", true).at("/fields/1/onUpdate", false)
                                .at("/fields/2/onCreate", false).at("/fields/2/onUpdate", true))
                        .when(create("stamped", "{'title':'t','made':'2001-01-01T00:00:00.000Z','touched':'2001-01-01'}")
                                .as("alice").expect(200).matches("/made", Fixtures.TIME_RE).at("/touched", ""))
                        .then(list("stamped", "filter", "made = created && both = created && touched = ''").as("alice")
                                        .expect(200).at("/totalItems", 1),
                                create("stamped", "{'made':'2001-01-01T00:00:00.000Z'}").expect(200).matches("/made", "^(?!2001).*")),
                Scenario.named("autodate: onUpdate fields take the record's updated on every update, onCreate ones keep theirs")
                        .given(collection(STAMPED), create("stamped", "{'title':'t'}"))
                        .when(patch(record("stamped", "{id}"), "{'title':'u','made':'2001-01-01T00:00:00.000Z','both':null}")
                                .expect(200).matches("/touched", Fixtures.TIME_RE).matches("/made", "^(?!2001).*"))
                        .then(list("stamped", "filter", "touched = updated && both = updated && made = created")
                                        .expect(200).at("/totalItems", 1),
                                list("stamped", "filter", "made >= @todayStart && made <= @now", "sort", "-made,touched")
                                        .expect(200).at("/totalItems", 1)),
                Scenario.named("autodate: a relation emptied by a delete is an update, stamped as one")
                        .given(collection("{'name':'tags','fields':[{'name':'label','type':'text'}],'listRule':'','viewRule':''}"),
                                create("tags", "{'label':'x'}"),
                                collection("{'name':'items','fields':[{'name':'tag','type':'relation','collectionId':'tags'},"
                                        + "{'name':'touched','type':'autodate','onUpdate':true}],'listRule':'','viewRule':''}"),
                                create("items", "{'tag':'{id1}'}").at("/touched", ""))
                        .when(Step.delete(record("tags", "{id1}")))
                        .then(get(record("items", "{id2}")).expect(200).at("/tag", "").at("/_version", 2)
                                        .matches("/touched", Fixtures.TIME_RE),
                                list("items", "filter", "touched = updated").expect(200).at("/totalItems", 1)),
                Scenario.named("autodate: neither onCreate nor onUpdate, required or a default is 400")
                        .when(badField("{'name':'d','type':'autodate'}", "onCreate", "validation_required"))
                        .then(badField("{'name':'d','type':'autodate','onUpdate':false,'onCreate':false}", "onUpdate", "validation_required"),
                                badField("{'name':'d','type':'autodate','onCreate':true,'required':true}", "required", "validation_not_applicable"),
                                badField("{'name':'d','type':'autodate','onCreate':true,'default':'2020-01-01'}", "default",
                                        "validation_not_applicable")),
                Scenario.named("autodate added to a collection with records: absent until a stamp is due")
                        .given(collection("{'name':'late','fields':[{'name':'title','type':'text'}],'listRule':'','viewRule':''}"),
                                create("late", "{'title':'old'}"),
                                patch("/api/collections/late", "{'fields':[{'name':'title','type':'text'},"
                                        + "{'name':'seen','type':'autodate','onCreate':true,'onUpdate':true}]}").expect(200))
                        .when(get(record("late", "{id}")).expect(200).missing("/seen"))
                        .then(list("late", "filter", "seen = null").expect(200).at("/totalItems", 1),
                                patch(record("late", "{id}"), "{'title':'new'}").expect(200).matches("/seen", Fixtures.TIME_RE)),
                Scenario.named("number.onlyInt: a fraction is 400 validation_only_int_constraint, whole numbers stay whole")
                        .given(collection(COUNTS).expect(200).at("/fields/0/onlyInt", true).at("/fields/1/onlyInt", false))
                        .when(create("counts", "{'n':1.5}").expect(400).at("/data/n/code", "validation_only_int_constraint"))
                        .then(create("counts", "{'n':2.0,'x':2.5}").expect(200).at("/n", 2).has("'n':2,"),
                                patch(record("counts", "{id}"), "{'n+':0.5}").expect(400).at("/data/n/code", "validation_only_int_constraint"),
                                patch(record("counts", "{id}"), "{'n+':3}").expect(200).at("/n", 5),
                                patch(record("counts", "{id}"), "{'n':-6}").expect(400).at("/data/n/code", "validation_min_number_constraint")),
                Scenario.named("number.onlyInt: fractional min or max in the definition is 400")
                        .when(badField("{'name':'n','type':'number','onlyInt':true,'min':0.5}", "min", "validation_only_int_constraint"))
                        .then(badField("{'name':'n','type':'number','onlyInt':true,'max':9.9}", "max", "validation_only_int_constraint"),
                                badField("{'name':'n','type':'number','onlyInt':1}", "onlyInt", "validation_invalid_bool")),
                Scenario.named("text.autogeneratePattern: an absent or empty value is generated on create, a given one kept")
                        .users("alice")
                        .given(collection(CODES).expect(200).at("/fields/0/autogeneratePattern", "[a-z0-9]{15}"))
                        .when(create("codes", "{}").as("alice").expect(200).matches("/code", ID_RE).matches("/ref", "INV-[0-9]{4}"))
                        .then(create("codes", "{'code':'','ref':null}").as("alice").expect(200).matches("/code", ID_RE)
                                        .matches("/ref", "INV-[0-9]{4}"),
                                create("codes", "{'code':'mine','ref':'INV-1'}").as("alice").expect(200).at("/code", "mine").at("/ref", "INV-1"),
                                patch(record("codes", "{id}"), "{'ref':''}").expect(200).at("/ref", ""),
                                patch(record("codes", "{id}"), "{'code:autogenerate':'p-'}").expect(200).matches("/code", "p-" + ID_RE),
                                create("codes", "{'code':'x','code:autogenerate':null}").expect(200).matches("/code", ID_RE),
                                patch(record("codes", "{id}"), "{'title:autogenerate':'x'}").expect(400)
                                        .at("/data/title:autogenerate/code", "validation_unknown_field"),
                                create("codes", "{'ref':'nope'}").expect(400).at("/data/ref/code", "validation_invalid_format")),
                Scenario.named("text.autogeneratePattern: patterns that cannot be generated, or give invalid values, are 400")
                        .when(badField("{'name':'c','type':'text','autogeneratePattern':'x(?=y)y'}", "autogeneratePattern",
                                "validation_invalid_autogenerate_pattern"))
                        .then(badField("{'name':'c','type':'text','autogeneratePattern':'[a-z]{100000}'}", "autogeneratePattern",
                                        "validation_invalid_autogenerate_pattern"),
                                badField("{'name':'c','type':'text','autogeneratePattern':'((a{99}){99}){99}'}", "autogeneratePattern",
                                        "validation_invalid_autogenerate_pattern"),
                                badField("{'name':'c','type':'text','autogeneratePattern':'(['}", "autogeneratePattern",
                                        "validation_invalid_autogenerate_pattern"),
                                badField("{'name':'c','type':'text','autogeneratePattern':'[a-z]{20}','max':10}", "autogeneratePattern",
                                        "validation_invalid_autogenerate_pattern_value"),
                                badField("{'name':'c','type':'text','autogeneratePattern':'[a-z]{5}','pattern':'^[0-9]+$'}",
                                        "autogeneratePattern", "validation_invalid_autogenerate_pattern_value")));
    }
}
