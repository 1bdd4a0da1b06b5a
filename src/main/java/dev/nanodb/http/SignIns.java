package dev.nanodb.http;

import dev.nanodb.accounts.Mfas;
import dev.nanodb.json.Json;
import dev.nanodb.records.Expander;
import dev.nanodb.records.RecordJson;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of every sign-in: {@code {token, record}} (the record expanded on a worker as the signed-in record may
 * view it, when {@code ?expand=} asks), or — when the collection wants a second factor ({@link Mfas}) — 401 with
 * the {@code mfaId} the second sign-in must name (PocketBase's shape, which the SDK reads from the error's
 * {@code response.mfaId}). Every route that hands out a token after checking a factor goes through
 * {@link #complete}, so none can skip the second factor.
 */
final class SignIns {
    private final RecordService records;
    private final Mfas mfas;

    SignIns(RecordService records, Mfas mfas) {
        this.records = records;
        this.mfas = mfas;
    }

    /**
     * Completes a sign-in by {@code method} ({@link Mfas#PASSWORD}, ...): the MFA check on a worker, then
     * {@code answer}. The {@code mfaId} comes from the query or the body, as in PocketBase.
     */
    void complete(RoutingContext ctx, Identity who, String method, Map<String, Object> body, Runnable answer) {
        Object fromBody = body.get("mfaId");
        String query = Requests.query(ctx, "mfaId");
        String mfaId = query != null && !query.isEmpty() ? query : fromBody instanceof String s ? s : null;
        Requests.blocking(ctx, () -> Optional.ofNullable(mfas.check(who, method, mfaId)), pending -> {
            if (pending.isEmpty()) {
                answer.run();
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", 401);
            out.put("message", "A second authentication factor is required.");
            out.put("data", Map.of());
            out.put("mfaId", pending.get());
            Responses.json(ctx, 401, out);
        });
    }

    /** {@code {token, record}} for {@code who}. */
    void answer(RoutingContext ctx, Identity who, String token) {
        answer(ctx, who, token, null);
    }

    /** {@code {token, record, meta}} for {@code who}; no {@code meta} when null (PocketBase's OAuth2 answer has one). */
    void answer(RoutingContext ctx, Identity who, String token, Map<String, Object> meta) {
        String expand = Requests.query(ctx, "expand");
        if (!Expander.requested(expand)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", RecordJson.toMap(who.collection(), who.record(), null, who));
            if (meta != null) out.put("meta", meta);
            Responses.ok(ctx, out);
            return;
        }
        RequestInfo as = new RequestInfo(who, "GET", Map.of(), Map.of());
        Requests.blocking(ctx, () -> Expander.of(records, who.collection(), expand, Requests.query(ctx, "fields"), as,
                Expander.ANSWER).one(who.record()), bytes -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", new Json.Raw(bytes));
            if (meta != null) out.put("meta", meta);
            Responses.ok(ctx, out);
        });
    }
}
