package dev.nanodb.http;

import dev.nanodb.records.Expander;
import dev.nanodb.records.ListParams;
import dev.nanodb.records.RecordJson;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The records routes of one collection, in PocketBase's shapes. */
final class RecordRoutes {
    static final String BASE = "/api/collections/:collection/records";
    private final RecordService records;

    RecordRoutes(RecordService records) {
        this.records = records;
    }

    /** @param body reads a create or update body: JSON, or multipart with {@code @jsonPayload} ({@link MultipartBody}) */
    void mount(Router router, Handler<RoutingContext> body) {
        router.get(BASE).handler(this::list);
        router.get(BASE + "/:id").handler(this::view);
        router.post(BASE).handler(body).handler(this::create);
        router.patch(BASE + "/:id").handler(body).handler(this::update);
        router.delete(BASE + "/:id").handler(this::delete);
    }

    /**
     * Answers on the event loop only a list whose query is built without reading other records and whose page an
     * index bounds; a list rule or filter that follows a relation (its semi-joins read the target collection), an
     * expansion, or an unbounded page is built on a worker.
     */
    private void list(RoutingContext ctx) {
        CollectionDef c = records.collection(Requests.collection(ctx));
        ListParams p = ListParams.parse(Requests.query(ctx, "page"), Requests.query(ctx, "perPage"),
                Requests.query(ctx, "sort"), Requests.query(ctx, "filter"), Requests.query(ctx, "fields"),
                Requests.query(ctx, "skipTotal"));
        RequestInfo req = Requests.info(ctx, null);
        if (expanding(ctx) || records.listQueryReads(c, p)) {
            Expander expander = expanding(ctx) ? expander(ctx, c, req) : null;
            Requests.blocking(ctx, () -> {
                Query q = records.listQuery(c, p, req);
                Page page = q == null ? Page.empty(p.page(), p.perPage(), p.skipTotal()) : records.store().query(q);
                return expander != null ? expander.page(page) : RecordJson.pageBytes(c, page, p.fields(), req.auth());
            }, bytes -> Responses.raw(ctx, 200, bytes));
            return;
        }
        Query q = records.listQuery(c, p, req);
        if (q == null) {
            Responses.raw(ctx, 200, RecordJson.pageBytes(c, Page.empty(p.page(), p.perPage(), p.skipTotal()), p.fields(), req.auth()));
            return;
        }
        var bounded = records.store().queryBounded(q);
        if (bounded.isPresent() && !RecordJson.large(bounded.get().items())) {
            Responses.raw(ctx, 200, RecordJson.pageBytes(c, bounded.get(), p.fields(), req.auth()));
            return;
        }
        Requests.blocking(ctx, () -> RecordJson.pageBytes(c, bounded.isPresent() ? bounded.get() : records.store().query(q),
                p.fields(), req.auth()), bytes -> Responses.raw(ctx, 200, bytes));
    }

    /**
     * Reads the record on the event loop; judges the view rule and writes the answer there too unless the record
     * is {@link RecordJson#LARGE}, whose parsing would hold the loop for milliseconds, or the view rule follows a
     * relation (its lookups read the store): then on a worker.
     */
    private void view(RoutingContext ctx) {
        CollectionDef c = records.collection(Requests.collection(ctx));
        RequestInfo req = Requests.info(ctx, null);
        Set<String> fields = fields(ctx);
        String id = ctx.pathParam("id");
        if (!records.store().readsAreLocal()) {
            Expander expander = expanding(ctx) ? expander(ctx, c, req) : null;
            Requests.blocking(ctx, () -> {
                Record visible = records.viewable(c, records.find(c, id, req), req);
                return expander != null ? expander.one(visible) : RecordJson.toBytes(c, visible, fields, req.auth());
            }, bytes -> Responses.raw(ctx, 200, bytes));
            return;
        }
        Record stored = records.find(c, id, req);
        if (expanding(ctx)) {
            Requests.blocking(ctx, () -> expander(ctx, c, req).one(records.viewable(c, stored, req)),
                    bytes -> Responses.raw(ctx, 200, bytes));
        } else if (!RecordJson.large(List.of(stored)) && !records.viewRuleReads(c)) {
            Responses.raw(ctx, 200, RecordJson.toBytes(c, records.viewable(c, stored, req), fields, req.auth()));
        } else {
            Requests.blocking(ctx, () -> RecordJson.toBytes(c, records.viewable(c, stored, req), fields, req.auth()),
                    bytes -> Responses.raw(ctx, 200, bytes));
        }
    }

    private void create(RoutingContext ctx) {
        String name = Requests.collection(ctx);
        Map<String, Object> body = Requests.body(ctx);
        RequestInfo req = Requests.info(ctx, body);
        Requests.await(ctx, records.create(name, body, req, UploadBody.uploads(ctx)), w -> judged(ctx, w, req, true));
    }

    private void update(RoutingContext ctx) {
        CollectionDef c = records.collection(Requests.collection(ctx));
        Map<String, Object> body = Requests.body(ctx);
        RequestInfo req = Requests.info(ctx, body);
        Requests.await(ctx, records.update(c, ctx.pathParam("id"), body, req, UploadBody.uploads(ctx)), w -> judged(ctx, w, req, false));
    }

    private void delete(RoutingContext ctx) {
        CollectionDef c = records.collection(Requests.collection(ctx));
        Long version = RecordService.version(Requests.query(ctx, "version"), "version");
        String id = ctx.pathParam("id");
        Requests.await(ctx, records.delete(c, id, version, Requests.info(ctx, null)), r -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("success", true);
            out.put("id", id);
            Responses.ok(ctx, out);
        });
    }

    /**
     * 200 with the written record, or 204 without a body when the caller may not view it. An expanded answer reads
     * the related records on a worker: the write is done whatever the expansion answers.
     */
    /** Judges whether the caller may see what it wrote: on the event loop, or on a worker when the view rule reads. */
    private void judged(RoutingContext ctx, RecordService.Written w, RequestInfo req, boolean created) {
        CollectionDef c = w.prepared().collection();
        if (records.viewRuleReads(c)) {
            Requests.blocking(ctx, w::answer, shown -> answer(ctx, c, shown, req, created));
        } else {
            answer(ctx, c, w.answer(), req, created);
        }
    }

    /**
     * @param created a create's answer shows an auth record's email to its creator, who has just sent it (the
     *                record is its own viewer, as {@code Visibility} judges a new account)
     */
    private void answer(RoutingContext ctx, CollectionDef c, Optional<Record> written, RequestInfo req, boolean created) {
        if (written.isPresent() && expanding(ctx)) {
            Requests.blocking(ctx, () -> expander(ctx, c, req).one(written.get()), bytes -> Responses.raw(ctx, 200, bytes));
        } else if (written.isPresent()) {
            Identity viewer = created && c.isAuth() ? new Identity(c, written.get()) : req.auth();
            Responses.raw(ctx, 200, RecordJson.toBytes(c, written.get(), fields(ctx), viewer));
        } else {
            ctx.response().setStatusCode(204).end();
        }
    }

    private static boolean expanding(RoutingContext ctx) {
        return Expander.requested(Requests.query(ctx, "expand"));
    }

    /** The {@code expand} of this answer, planned for the caller; reads nothing until asked for an answer. */
    private Expander expander(RoutingContext ctx, CollectionDef c, RequestInfo req) {
        return Expander.of(records, c, Requests.query(ctx, "expand"), Requests.query(ctx, "fields"), req, Expander.ANSWER);
    }

    private static Set<String> fields(RoutingContext ctx) {
        return ListParams.fieldSet(Requests.query(ctx, "fields"));
    }
}
