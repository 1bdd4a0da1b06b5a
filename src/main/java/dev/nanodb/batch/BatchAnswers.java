package dev.nanodb.batch;

import dev.nanodb.batch.BatchOp.Kind;
import dev.nanodb.batch.BatchOp.Shape;
import dev.nanodb.json.Json;
import dev.nanodb.records.Expander;
import dev.nanodb.records.RecordJson;
import dev.nanodb.rules.Identity;
import dev.nanodb.records.RecordService;
import dev.nanodb.store.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of a batch, each in the shape the batch was sent in.
 * <ul>
 *   <li>PocketBase success: {@code [{status, body}]} — 200 with the record (honouring the op's {@code ?fields=})
 *       for a create, update or upsert, 204 with a null body for a delete and for a write whose record the
 *       caller may not view (as the single route answers 204).</li>
 *   <li>Seed success: {@code {results: [{success: true, result}]}} — {@code result} is what the single route
 *       answers: the record (null when the caller may not view it), or {@code {success: true, id}} for a
 *       delete.</li>
 *   <li>Failure, both shapes: 400 {@code "Batch transaction failed."} with {@code data.requests.{i} = {code:
 *       "batch_request_failed", message, response: {status, message, data}}} naming the failing operation and
 *       carrying the error its single route would have answered; the seed shape adds {@code results}, one
 *       {@code {success: false}} per operation (none was applied), the failing one with {@code error}.</li>
 * </ul>
 */
public final class BatchAnswers {
    public static final String FAILED = "Batch transaction failed.";

    private BatchAnswers() {}

    /**
     * @param records reads the related records of an operation whose url asks for {@code ?expand=} (each
     *                operation expanded under {@link Expander#ANSWER}, judged for the batch's caller); call this
     *                off the event loop when {@link #expands} says so
     */
    public static Object success(Shape shape, List<BatchService.Outcome> outcomes, RecordService records) {
        List<Map<String, Object>> out = new ArrayList<>(outcomes.size());
        for (BatchService.Outcome o : outcomes) out.add(shape == Shape.POCKETBASE ? pocketBase(o, records) : seed(o));
        return shape == Shape.POCKETBASE ? out : Map.of("results", out);
    }

    /** Whether answering reads related records ({@code ?expand=} on a PocketBase operation that answers one). */
    public static boolean expands(Shape shape, List<BatchService.Outcome> outcomes) {
        if (shape != Shape.POCKETBASE) return false;
        return outcomes.stream().anyMatch(o -> o.kind() != Kind.DELETE && Expander.requested(o.op().query().get("expand")));
    }

    private static Map<String, Object> pocketBase(BatchService.Outcome o, RecordService records) {
        Map<String, Object> m = new LinkedHashMap<>();
        Record r = o.kind() == Kind.DELETE ? null : o.record();
        m.put("status", r != null ? 200 : 204);
        m.put("body", r != null ? body(o, r, records) : null);
        return m;
    }

    private static Object body(BatchService.Outcome o, Record r, RecordService records) {
        String expand = o.op().query().get("expand");
        if (!Expander.requested(expand)) return RecordJson.toMap(o.collection(), r, o.op().fields(), viewer(o, r));
        return new Json.Raw(Expander.of(records, o.collection(), expand, o.op().query().get("fields"),
                o.prepared().request(), Expander.ANSWER).one(r));
    }

    /** Who an operation's answer is for; a created auth record is its own viewer, as on the single create route. */
    private static Identity viewer(BatchService.Outcome o, Record r) {
        return o.kind() == Kind.CREATE && o.collection().isAuth() ? new Identity(o.collection(), r) : o.prepared().request().auth();
    }

    private static Map<String, Object> seed(BatchService.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        if (o.kind() == Kind.DELETE) {
            Map<String, Object> deleted = new LinkedHashMap<>();
            deleted.put("success", true);
            deleted.put("id", o.change().record().id());
            m.put("result", deleted);
        } else {
            Record r = o.record();
            m.put("result", r == null ? null : RecordJson.toMap(o.collection(), r, null, viewer(o, r)));
        }
        return m;
    }

    /**
     * The {@code data} of a failed batch; {@code response} is the failing operation's own error
     * ({@code {status, message, data}}).
     */
    public static Map<String, Object> failureData(int index, Map<String, Object> response) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", "batch_request_failed");
        item.put("message", "Batch request " + index + " failed: " + response.get("message"));
        item.put("response", response);
        return Map.of("requests", Map.of(Integer.toString(index), item));
    }

    /** The seed shape's {@code results} of a failed batch of {@code size} operations. */
    public static List<Map<String, Object>> failureResults(int size, int index, Map<String, Object> response) {
        List<Map<String, Object>> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", false);
            if (i == index) m.put("error", response);
            out.add(m);
        }
        return out;
    }
}
