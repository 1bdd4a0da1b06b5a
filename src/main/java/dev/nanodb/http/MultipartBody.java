package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body handler of the routes that take a record body: JSON goes to the shared {@link BodyHandler};
 * {@code multipart/form-data} is read here, with the JSON object in its {@code @jsonPayload} field — the way the
 * PocketBase SDK sends every batch, and record creates and updates whose body is a {@code FormData}.
 *
 * <p>The whole multipart body is buffered (within the same body limit, 413 beyond it) and decoded in memory, so
 * nothing ever touches the disk. Other plain form fields are added as strings where {@code @jsonPayload} does
 * not set them. NanoDB stores no files: a file part is refused with a 400 naming its field rather than dropped
 * silently. {@link Requests#body} returns the decoded object.
 */
final class MultipartBody implements Handler<RoutingContext> {
    static final String JSON_PAYLOAD = "@jsonPayload";
    /** Where the decoded body is kept for {@link Requests#body}. */
    static final String DECODED = "nanodb.multipartBody";
    private static final int MAX_FIELDS = 1000;
    private final BodyHandler json;
    private final long limit;

    MultipartBody(BodyHandler json, long limit) {
        this.json = json;
        this.limit = limit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            json.handle(ctx);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limit) {
            ctx.fail(413);
            return;
        }
        if (request.isEnded()) {
            ctx.fail(new ApiException(400, "The multipart body could not be read."));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) return;
            if (body.length() + (long) chunk.length() > limit) {
                failed[0] = true;
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(t -> {
            if (failed[0]) return;
            failed[0] = true;
            ctx.fail(new ApiException(400, "The multipart body could not be read."));
        });
        request.endHandler(v -> {
            if (failed[0]) return;
            try {
                ctx.put(DECODED, decode(type, body.getBytes()));
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            ctx.next();
        });
        request.resume();
    }

    /** The JSON object of {@code @jsonPayload} with the other plain fields added; 400 for a file or a bad body. */
    static Map<String, Object> decode(String contentType, byte[] bytes) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(bytes));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostRequestDecoder decoder = null;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8,
                    MAX_FIELDS, -1);
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> plain = new LinkedHashMap<>();
            for (InterfaceHttpData part : decoder.getBodyHttpDatas()) {
                if (part instanceof FileUpload file) {
                    throw ApiException.invalidField(file.getName(), "validation_file_unsupported",
                            "File uploads are not supported; send the values as JSON in " + JSON_PAYLOAD + ".");
                }
                if (part instanceof Attribute field) {
                    if (field.getName().equals(JSON_PAYLOAD)) out.putAll(Json.parseObject(field.get()));
                    else plain.put(field.getName(), field.getValue());
                }
            }
            plain.forEach(out::putIfAbsent);
            return out;
        } catch (ApiException | Json.JsonException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ApiException(400, "The multipart body could not be read.");
        } finally {
            if (decoder != null) decoder.destroy();
            request.release();
        }
    }
}
