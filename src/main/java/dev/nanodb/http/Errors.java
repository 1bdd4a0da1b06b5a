package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.FilterSyntaxException;
import dev.nanodb.json.Json;
import dev.nanodb.records.RecordService;
import dev.nanodb.store.StoreException;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: {@code {status, message, error, data}} ({@code error} repeats
 * the message for seed clients). Store failures are mapped to statuses here; anything unexpected is logged
 * with its cause and answered with a generic 500 that carries no exception name or stack trace.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    static ApiException toApi(Throwable raw) {
        Throwable t = RecordService.unwrap(raw);
        return switch (t) {
            case ApiException a -> a;
            case Json.JsonException j -> new ApiException(400, j.getMessage());
            case FilterSyntaxException f -> ApiException.invalidField("filter", "validation_invalid_filter", f.getMessage());
            case StoreException.NotFound n -> ApiException.notFound("The requested resource wasn't found.");
            case StoreException.VersionConflict v -> new ApiException(409, "The record was changed by someone else.",
                    Map.of("_version", ApiException.fieldError("version_conflict", "The current version is " + v.actual() + ".")));
            case StoreException.UniqueViolation u -> new ApiException(409, "A unique value is already taken.",
                    Map.of(u.field(), ApiException.fieldError("validation_not_unique", "Value must be unique.")));
            case StoreException.InvalidValue i -> ApiException.invalidField(i.field(), i.code(), i.getMessage());
            case StoreException.Referenced r -> new ApiException(400, "Failed to delete record. Make sure that the record"
                    + " is not part of a required relation reference.");
            case StoreException.StorageFull s -> {
                LOG.error("storage full", s);
                yield new ApiException(507, s.getMessage());
            }
            case StoreException.Unavailable u -> {
                LOG.error("storage unavailable", u);
                yield new ApiException(503, "The storage is unavailable; the write was not applied. Retry later.");
            }
            default -> {
                LOG.error("unexpected failure", t);
                yield new ApiException(500, "Something went wrong while processing your request.");
            }
        };
    }

    /** For Vert.x: a failure thrown outside any request's handlers (a timer, a callback) is logged, never fatal. */
    static void unhandled(Throwable t) {
        LOG.error("unhandled failure on an event loop", t);
    }

    static void respond(RoutingContext ctx, Throwable t) {
        if (ctx.response().ended()) return;
        if (ctx.response().closed()) {
            // The client went away while the work ran (a worker's read, a group commit): nobody to answer. A store
            // failure is still logged by toApi; anything else is most likely the closed connection itself.
            if (t instanceof StoreException) toApi(t);
            else LOG.debug("no answer to a closed connection: {}", t.toString());
            return;
        }
        ApiException e = toApi(t);
        ctx.put(RequestLogger.ERROR, e);
        if (e.status() == 503) ctx.response().putHeader("Retry-After", "1");
        if (e.retryAfterSeconds() > 0) ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        Responses.json(ctx, e.status(), body(e));
    }

    /** The error body: {@code {status, message, error, data}} ({@code error} repeats the message for seed clients). */
    static Map<String, Object> body(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("message", e.getMessage());
        body.put("error", e.getMessage());
        body.put("data", e.data());
        return body;
    }

    /** Requests the HTTP decoder could not read (request line or headers too long, bad syntax): JSON 4xx. */
    static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof io.netty.handler.codec.TooLongFrameException
                ? (String.valueOf(cause.getMessage()).contains("header") ? 431 : 414) : 400;
        String message = switch (status) {
            case 431 -> "The request headers are too large.";
            case 414 -> "The request URL is too long.";
            default -> "The request could not be read.";
        };
        Map<String, Object> body = body(new ApiException(status, message));
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(io.vertx.core.buffer.Buffer.buffer(Json.write(body)));
    }

    /** For Vert.x's own failures (no route, body too large, bad method): status only. */
    static void respondStatus(RoutingContext ctx, int status) {
        String message = switch (status) {
            case 404 -> "The requested resource wasn't found.";
            case 405 -> "Method not allowed.";
            case 413 -> "The request body is too large.";
            case 400 -> "Bad request.";
            default -> status >= 500 ? "Something went wrong while processing your request." : "Request failed.";
        };
        if (ctx.failure() != null && status >= 500) LOG.error("request failed", ctx.failure());
        respond(ctx, new ApiException(status, message));
    }
}
