package dev.nanodb.http;

import dev.nanodb.crons.Crons;
import dev.nanodb.error.ApiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PocketBase's {@code /api/crons}, for superusers only: the enabled jobs ({@code [{"id", "expression"}]}, by id) and
 * {@code POST /api/crons/{id}}, which starts a job in the background and answers 204 at once (PocketBase's
 * fire-and-forget; a job already running is not started twice), 404 for an unknown or disabled id.
 */
final class CronRoutes {
    private static final String BASE = "/api/crons";
    private final Crons crons;

    CronRoutes(Crons crons) {
        this.crons = crons;
    }

    void mount(Router router) {
        router.route(BASE).handler(Requests::superusersOnly);
        router.route(BASE + "/*").handler(Requests::superusersOnly);
        router.get(BASE).handler(this::list);
        router.post(BASE + "/:id").handler(this::run);
    }

    /** Blocking: a job's expression may be read from the settings in the store. */
    private void list(RoutingContext ctx) {
        Requests.blocking(ctx, crons::jobs, jobs -> Responses.ok(ctx, jobs.stream().map(j -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", j.id());
            out.put("expression", j.expression());
            return out;
        }).toList()));
    }

    private void run(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Requests.blocking(ctx, () -> crons.run(id).isPresent(), found -> {
            if (!found) throw ApiException.notFound("Missing or invalid cron job");
            ctx.response().setStatusCode(204).end();
        });
    }
}
