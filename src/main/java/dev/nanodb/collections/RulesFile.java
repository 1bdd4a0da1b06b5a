package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.store.CollectionDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a rules file at start-up, so that teams can keep rules in git (the seed kept them in {@code rules.js}):
 * <pre>{"posts": {"listRule": "", "viewRule": "", "createRule": "@request.auth.id != \"\"",
 *            "updateRule": "owner_id = @request.auth.id", "deleteRule": null}}</pre>
 * A rule a collection entry does not name keeps its stored value; a collection that does not exist yet is created
 * schemaless, with the seed's default rules for the rules the entry does not name. Every rule is validated as
 * the collections API would; any problem stops the start-up with a message naming the collection and the rule,
 * and nothing of the file is applied.
 */
public final class RulesFile {
    private static final Set<String> RULES = Set.of("listRule", "viewRule", "createRule", "updateRule", "deleteRule");

    /** A problem with the rules file; its message names the file, the collection and the rule. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private RulesFile() {}

    /**
     * @param required when true (the path was configured explicitly) a missing file is a problem too
     * @return how many collections the file names (0 when there is no file)
     */
    public static int apply(CollectionService collections, Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) throw new Invalid(file + ": not found");
            return 0;
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new Invalid(file + ": cannot be read: " + e.getMessage());
        } catch (Json.JsonException e) {
            throw new Invalid(file + ": not a JSON object: " + e.getMessage());
        }
        List<CollectionDef> planned = new ArrayList<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> m)) throw new Invalid(file + ": " + name + ": must be an object of rules");
            Map<String, Object> body = new LinkedHashMap<>();
            for (Map.Entry<?, ?> r : m.entrySet()) {
                String key = String.valueOf(r.getKey());
                if (!RULES.contains(key)) throw new Invalid(file + ": " + name + "." + key + ": unknown rule (expected one of " + RULES + ")");
                body.put(key, r.getValue());
            }
            try {
                planned.add(collections.plan(name, body));
            } catch (ApiException ex) {
                throw new Invalid(file + ": " + name + describe(ex));
            }
        }
        collections.importAll(planned);
        return planned.size();
    }

    private static String describe(ApiException e) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> d : e.data().entrySet()) {
            Object msg = d.getValue() instanceof Map<?, ?> m ? m.get("message") : d.getValue();
            sb.append(sb.isEmpty() ? "." : "; ").append(d.getKey()).append(": ").append(msg);
        }
        return sb.isEmpty() ? ": " + e.getMessage() : sb.toString();
    }
}
