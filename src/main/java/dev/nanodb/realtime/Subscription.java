package dev.nanodb.realtime;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Expr;
import dev.nanodb.json.Json;
import dev.nanodb.records.Expander;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One PocketBase topic: {@code posts/*} (every record of {@code posts} the list rule admits) or {@code posts/ID}
 * (that record, under the view rule), optionally followed by {@code ?options=<url-encoded JSON>} whose
 * {@code query.filter} narrows the events, {@code query.fields} shapes the record and {@code query.expand} expands
 * its relations for each subscriber as that subscriber may see them ({@link Payloads#expanded}).
 *
 * @param topic    the subscription string exactly as the client sent it: it is the event's name
 * @param recordId null for {@code *}
 * @param filter   parsed and checked like the client's own list filter; null = none
 * @param fields   null = every field
 * @param options  the raw {@code expand} and {@code fields} options; {@code expand} null = none
 */
public record Subscription(String topic, String collection, String recordId, Expr filter, Set<String> fields, Options options) {

    /** The raw text of the options an expansion reads (it picks inside {@code expand}, so it needs the dot paths). */
    record Options(String expand, String fields) {}

    String expand() {
        return options.expand();
    }

    /** The parts of a topic string before its filter is checked against the collection. */
    record Parsed(String collection, String recordId, String filter, String fields, String expand) {}

    static Parsed parse(String topic) {
        String base = topic;
        String filter = null;
        String fields = null;
        String expand = null;
        int q = topic.indexOf('?');
        if (q >= 0) {
            base = topic.substring(0, q);
            Map<String, Object> options = options(topic.substring(q + 1), topic);
            if (options.get("query") instanceof Map<?, ?> query) {
                if (query.get("filter") instanceof String f && !f.isBlank()) filter = f;
                if (query.get("fields") instanceof String f && !f.isBlank()) fields = f;
                if (query.get("expand") instanceof String e && Expander.requested(e)) expand = e;
            }
        }
        int slash = base.indexOf('/');
        if (slash <= 0 || slash == base.length() - 1 || base.indexOf('/', slash + 1) >= 0) throw invalid(topic);
        String collection = base.substring(0, slash);
        String rest = base.substring(slash + 1);
        return new Parsed(collection, rest.equals("*") ? null : rest, filter, fields, expand);
    }

    private static Map<String, Object> options(String query, String topic) {
        for (String pair : query.split("&")) {
            if (!pair.startsWith("options=")) continue;
            try {
                String json = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
                return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw invalid(topic);
            }
        }
        return Map.of();
    }

    static ApiException invalid(String topic) {
        return ApiException.invalidField("subscriptions", "validation_invalid_topic",
                "Not a topic (collection/* or collection/ID, optionally ?options=…): " + shown(topic));
    }

    /** The topic as an error message shows it: at most 100 characters. */
    static String shown(String topic) {
        return topic.length() > 100 ? topic.substring(0, 100) + "…" : topic;
    }
}
