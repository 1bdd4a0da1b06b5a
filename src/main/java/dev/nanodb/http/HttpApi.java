package dev.nanodb.http;

import dev.nanodb.accounts.AccountFlows;
import dev.nanodb.accounts.Mfas;
import dev.nanodb.accounts.Otps;
import dev.nanodb.accounts.OAuth2SignIn;
import dev.nanodb.auth.AuthService;
import dev.nanodb.backups.BackupService;
import dev.nanodb.batch.BatchService;
import dev.nanodb.config.Config;
import dev.nanodb.crons.Crons;
import dev.nanodb.logs.LogService;
import dev.nanodb.mail.Outbox;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.ratelimit.RateLimiter;
import dev.nanodb.realtime.RealtimeHub;
import dev.nanodb.records.RecordService;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: one Vert.x event loop per available core, a small worker pool for blocking work (scans,
 * checks), the caller's identity resolved once from the {@code Authorization} header (a present but invalid
 * token is anonymous or a 401 as {@code INVALID_TOKEN} says, see {@link TokenPolicy}; the login routes ignore the
 * header), the routes of each family, and a single failure handler that turns
 * every exception into the JSON error shape.
 *
 * <p>Order of the handlers every request meets: CORS (only with {@code Origin}; answers preflights), the health
 * checks (answered here, before anything is counted or limited), request statistics and the request log, the
 * client IP and the rate limit, then the routes.
 *
 * <p>Route order is a cost: Vert.x tries routes one after another, and each path with a parameter is a regular
 * expression matched against the request's path. So the identity handler of {@code /api} comes first (it leaves
 * the {@linkplain SignInPaths sign-in paths} alone), then the hot families — records, files, batch — then the
 * sign-in routes, then the rest.
 */
public final class HttpApi implements AutoCloseable {
    /**
     * Where multipart file parts are streamed while their request runs ({@code DB_PATH/uploads}); emptied here at
     * start, since a part there belongs to a request that no longer exists.
     */
    /** Streamed uploads may hold at most {@value #UPLOADS_IN_FLIGHT} bytes of disk at once (see {@link UploadBudget}). */
    static final long UPLOADS_IN_FLIGHT = 1L << 30;

    private static UploadBudget uploadBudget(java.nio.file.Path dir) {
        try {
            return new UploadBudget(dir, UPLOADS_IN_FLIGHT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.nio.file.Path uploadsFolder(Config config) {
        java.nio.file.Path dir = config.dbPath().resolve("uploads");
        try {
            java.nio.file.Files.createDirectories(dir);
            try (var parts = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) parts::iterator) java.nio.file.Files.deleteIfExists(p);
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the uploads folder " + dir + " cannot be used", e);
        }
    }

    /**
     * A multipart body with files is decoded by Vert.x, which keeps its plain parts in memory: at most
     * {@value #MAX_FORM_PARTS} parts (files included) of at most {@value #MAX_FORM_PART} bytes each, so one request
     * holds at most 16 MiB of plain parts whatever its file allowance.
     */
    static final int MAX_FORM_PART = 256 * 1024;
    static final int MAX_FORM_PARTS = 64;

    private static final CharSequence AUTHORIZATION = io.vertx.core.http.HttpHeaders.createOptimized("Authorization");
    private final Vertx vertx;
    private final HttpServer server;

    private HttpApi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** The capabilities the routes serve, built by the server's wiring. */
    public record Services(Store store, RecordService records, AuthService auth, RealtimeHub hub, SettingsService settings,
                           Outbox outbox, AccountFlows accounts, Otps otps, Mfas mfas, OAuth2SignIn oauth2,
                           BackupService backups, Crons crons, LogService logs) {}

    public static HttpApi start(Config config, Services services) {
        Store store = services.store();
        RecordService records = services.records();
        AuthService auth = services.auth();
        RealtimeHub hub = services.hub();
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores).setWorkerPoolSize(workers(store, cores))
                .setInternalBlockingPoolSize(2).setPreferNativeTransport(false));
        vertx.exceptionHandler(Errors::unhandled);
        Router router = Router.router(vertx);
        router.route().handler(HttpLimits::headerCount);
        router.route().handler(new Cors(config.corsOrigins()));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodySize()).setHandleFileUploads(false);
        RequestStats requestStats = new RequestStats();
        RateLimiter limiter = RateLimiter.start(store, config.traffic());
        OpsRoutes ops = new OpsRoutes(new OpsRoutes.Sources(store, hub, requestStats, limiter, services.outbox(), services.logs()));
        ops.mountHealth(router);
        router.route().handler(requestStats);
        router.route().handler(new RequestLogger(services.logs()));
        ClientIps ips = new ClientIps(config.traffic().trustedProxies(), config.traffic().ipv6Prefix());
        router.route().handler(new RateLimitHandler(limiter, ips));
        TokenPolicy tokens = new TokenPolicy(auth, config.invalidToken());
        boolean localReads = store.readsAreLocal();
        router.route("/api/*").handler(ctx -> {
            String authorization = ctx.request().getHeader(AUTHORIZATION);
            if (authorization == null || SignInPaths.matches(ctx.normalizedPath())) {
                ctx.next();
            } else if (localReads) {
                ctx.put(Requests.IDENTITY, tokens.identify(authorization));
                ctx.next();
            } else {
                Requests.beforeNext(ctx, () -> tokens.identify(authorization), who -> ctx.put(Requests.IDENTITY, who));
            }
        });
        MultipartBody recordBody = new MultipartBody(body, config.maxBodySize());
        java.nio.file.Path uploadsDir = uploadsFolder(config);
        UploadBody uploads = new UploadBody(recordBody, records, uploadsDir, config.maxBodySize(), uploadBudget(uploadsDir), ips);
        new RecordRoutes(records).mount(router, uploads);
        new FileRoutes(records, auth).mount(router);
        new BatchRoutes(new BatchService(records, config.maxBatchSize()), records, limiter, ips).mount(router, uploads.forBatch());
        int signInsFrom = router.getRoutes().size();
        SignIns signIns = new SignIns(records, services.mfas());
        AuthRoutes authRoutes = new AuthRoutes(auth, signIns, ips, services.oauth2().starts());
        authRoutes.mountLogins(router, body);
        new OAuth2Routes(new OAuth2Routes.Parts(services.oauth2(), signIns, auth, hub, ips)).mount(router, body);
        AccountRoutes accountRoutes = new AccountRoutes(services.accounts());
        accountRoutes.mountPublic(router, body);
        new OtpRoutes(services.otps(), auth, signIns).mount(router, body);
        SignInPaths.check(router.getRoutes().subList(signInsFrom, router.getRoutes().size()));
        authRoutes.mount(router, body);
        accountRoutes.mount(router, body);
        new RealtimeRoutes(hub, tokens, config.realtime().queueBytes(), ips, localReads).mount(router, body);
        ops.mount(router);
        new CollectionRoutes(records.collections()).mount(router, body);
        new BackupRoutes(services.backups(), auth).mount(router, body, uploads.forBackup(config.maxBackupUpload()));
        new CronRoutes(services.crons()).mount(router);
        new SettingsRoutes(store, auth.passwords(), config.jwtSecret() == null, services.settings(), services.outbox()).mount(router, body);
        new LogRoutes(services.logs()).mount(router);
        new DashboardRoutes().mount(router);
        router.route().failureHandler(ctx -> {
            if (ctx.failure() != null) Errors.respond(ctx, ctx.failure());
            else Errors.respondStatus(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500);
        });
        router.errorHandler(404, ctx -> Errors.respondStatus(ctx, 404));
        router.errorHandler(405, ctx -> Errors.respondStatus(ctx, 405));
        requestStats.index(router);
        HttpServerOptions options = new HttpServerOptions().setPort(config.port()).setHost(config.host())
                .setCompressionSupported(false).setIdleTimeout(120).setMaxHeaderSize(HttpLimits.MAX_HEADER_BYTES)
                .setMaxInitialLineLength(HttpLimits.MAX_REQUEST_LINE).setHttp2ClearTextEnabled(false)
                .setDecoderInitialBufferSize(256).setMaxFormAttributeSize((int) Math.min(MAX_FORM_PART, config.maxBodySize())).setMaxFormFields(MAX_FORM_PARTS);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router)
                .invalidRequestHandler(Errors::invalidRequest);
        try {
            server.listen().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot listen on port " + config.port() + ": " + e.getMessage(), e);
        }
        vertx.setPeriodic(config.realtime().heartbeat().toMillis(), id -> hub.tick());
        return new HttpApi(vertx, server);
    }

    /**
     * Worker threads: two per core for scans and checks; with a store whose reads are round trips (PostgreSQL) as
     * many as the store's connections ({@value #REMOTE_READERS}), since every read then waits on a worker, so that
     * reads scale with the connection pool rather than with one over the database's latency.
     */
    private static int workers(Store store, int cores) {
        return store.readsAreLocal() ? Math.max(2, cores * 2) : Math.max(REMOTE_READERS, cores * 2);
    }

    /** The PostgreSQL store's connection pool (twice its 8 writer threads). */
    static final int REMOTE_READERS = 16;

    public int port() {
        return server.actualPort();
    }

    /** Stops accepting connections, lets in-flight requests finish (up to 10 s), then stops Vert.x. */
    @Override
    public void close() {
        try {
            server.shutdown(10, TimeUnit.SECONDS).await(15, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the server is going away regardless; Vert.x is closed below
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // nothing left to do at shutdown
        }
    }
}
