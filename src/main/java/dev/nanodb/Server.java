package dev.nanodb;

import dev.nanodb.accounts.AccountFlows;
import dev.nanodb.accounts.Mfas;
import dev.nanodb.accounts.Otps;
import dev.nanodb.accounts.ExpiredSessions;
import dev.nanodb.accounts.ExternalAuths;
import dev.nanodb.accounts.OAuth2Accounts;
import dev.nanodb.accounts.OAuth2Providers;
import dev.nanodb.accounts.OAuth2SignIn;
import dev.nanodb.accounts.oauth2.OAuth2Client;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Secrets;
import dev.nanodb.auth.Superusers;
import dev.nanodb.auth.Tokens;
import dev.nanodb.collections.CollectionService;
import dev.nanodb.collections.RulesFile;
import dev.nanodb.backups.BackupService;
import dev.nanodb.config.Config;
import dev.nanodb.crons.Crons;
import dev.nanodb.http.HttpApi;
import dev.nanodb.realtime.RealtimeHub;
import dev.nanodb.files.FileService;
import dev.nanodb.files.NodeStorage;
import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.logs.LogService;
import dev.nanodb.logs.lmdb.LmdbLogStore;
import dev.nanodb.mail.Outbox;
import dev.nanodb.records.RecordService;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.store.Nodes;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running NanoDB: the wiring of store, auth, records and HTTP, shared by {@link Main} and the tests so both
 * run the same start-up. Start-up order: joining the other nodes of a shared database (refused when their file
 * storage and this node's differ, {@link NodeStorage}), system collections, the token secret, the first superuser,
 * the rules file, the security checks, then the HTTP server — a server never answers before its rules are in place.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** The default-password check (one bcrypt per superuser) waits until the first answers are out. */
    private static final long PASSWORD_CHECK_DELAY_MS = 3_000;
    private final Store store;
    private final Passwords passwords;
    private final RealtimeHub hub;
    private final HttpApi api;
    private final Outbox outbox;
    private final Crons crons;
    private final LogService logs;
    private final Thread check;
    /** Null for a store of one node. */
    private final Nodes.Membership node;

    /** What a running server closes, in {@link #close}'s order. */
    private record Parts(Store store, Passwords passwords, RealtimeHub hub, HttpApi api, Outbox outbox, Crons crons,
                         LogService logs) {}

    private Server(Parts parts, Thread check, Nodes.Membership node) {
        this.store = parts.store();
        this.passwords = parts.passwords();
        this.hub = parts.hub();
        this.api = parts.api();
        this.outbox = parts.outbox();
        this.crons = parts.crons();
        this.logs = parts.logs();
        this.check = check;
        this.node = node;
    }

    /** Records' files: the S3-compatible bucket of the {@code S3_*} settings, else local disk (also for {@link BackupCommand}). */
    static dev.nanodb.files.FileStorage fileStorage(Config config) {
        Config.S3 s3 = config.s3();
        if (s3 == null) return localFiles(config);
        LOG.info("files are stored in the S3-compatible bucket {}{}", s3.bucket(), s3.endpoint() == null ? "" : " at " + s3.endpoint());
        return new dev.nanodb.files.s3.S3FileStorage(new dev.nanodb.files.s3.S3FileStorage.Settings(s3.endpoint(),
                s3.bucket(), s3.region(), s3.accessKey(), s3.secretKey(), s3.prefix(), s3.pathStyle()));
    }

    /**
     * Records' files on local disk under {@code DB_PATH/storage}; temporary files a crash left there over an hour
     * ago are removed.
     */
    private static LocalFileStorage localFiles(Config config) {
        try {
            LocalFileStorage storage = new LocalFileStorage(config.dbPath().resolve("storage"));
            int removed = storage.removeTemporaries(java.time.Instant.now().minusSeconds(3600));
            if (removed > 0) LOG.info("removed {} temporary files a crash left in the file storage", removed);
            return storage;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the file storage under " + config.dbPath() + " cannot be used", e);
        }
    }

    /**
     * The request logs: their own store under {@code DB_PATH/logs} (on every backend: each node keeps the logs of
     * the requests it answered), kept as the settings' {@code logs} section says, read at each batch.
     */
    private static LogService requestLogs(Config config, SettingsService settings) {
        return LogService.start(LmdbLogStore.open(config.dbPath().resolve("logs"), config.logsMaxSize()),
                () -> settings.current().logs());
    }

    /** A refusal to start: the message says what to change. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The OAuth2 sign-in, and the listener that removes a deleted record's {@code _externalAuths} links. */
    private static OAuth2SignIn oauth2(Store store, RecordService records, AuthService auth) {
        ExternalAuths links = new ExternalAuths(store);
        store.addChangeListener(links);
        return new OAuth2SignIn(auth, new OAuth2Providers(new OAuth2Client()),
                new OAuth2Accounts(store, records, auth.passwords(), links));
    }

    /** Starts on an opened store; the store is closed again if the start fails. */
    public static Server start(Config config, Store store) {
        Passwords passwords = new Passwords(config.bcryptCost());
        Thread check = null;
        RealtimeHub hub = null;
        Outbox outbox = null;
        LogService logs = null;
        Nodes.Membership node = null;
        Crons crons = null;
        try {
            node = joinNodes(config, store);
            CollectionService collections = new CollectionService(store);
            collections.ensureSystem();
            byte[] secret = Secrets.serverSecret(config.jwtSecret(), config.dbPath(), store);
            boolean created = Superusers.ensureFirst(store, passwords, config.adminEmail(), config.adminPassword());
            if (created) LOG.info("created the first superuser {}", config.adminEmail());
            int ruled = RulesFile.apply(collections, config.rulesFile(), config.rulesFileExplicit());
            if (ruled > 0) LOG.info("applied the rules of {} collections from {}", ruled, config.rulesFile());
            check = securityChecks(config, store, passwords, created);
            Tokens tokens = new Tokens(secret, config.jwtExpiresIn());
            AuthService auth = new AuthService(store, passwords, tokens, new AuthService.Limit(config.authRateLimit().max(),
                    config.authRateLimit().window().toMillis()), collections::rules);
            FileService files = new FileService(fileStorage(config), store);
            store.addChangeListener(files);
            RecordService records = new RecordService(store, collections, config.autoCollections(), passwords, files);
            Config.Realtime rt = config.realtime();
            int maxStreams = rt.maxStreams() > 0 ? rt.maxStreams() : RealtimeHub.streamsFor(Runtime.getRuntime().maxMemory());
            hub = new RealtimeHub(records, new RealtimeHub.Limits(maxStreams, rt.streamsPerIp(), rt.subscriptionsPerClient(),
                    rt.idleTimeout()));
            store.addChangeListener(hub);
            SettingsService settings = new SettingsService(store, config, store instanceof Snapshots ? null : BackupService.POSTGRES);
            BackupService backups = new BackupService(store, files, BackupService.folderOf(config.dbPath()), new BackupBucket(settings));
            logs = requestLogs(config, settings);
            crons = BuiltInJobs.start(node, new BuiltInJobs.Parts(files, backups, settings,
                    new ExpiredSessions(store), logs, store instanceof Snapshots));
            outbox = Outbox.standard(settings::smtp);
            AccountFlows accounts = new AccountFlows(new AccountFlows.Parts(store, auth, tokens, outbox, settings));
            HttpApi api = HttpApi.start(config, new HttpApi.Services(store, records, auth, hub, settings, outbox, accounts,
                    new Otps(store, auth, outbox, settings), new Mfas(store, collections::rules), oauth2(store, records, auth),
                    backups, crons, logs));
            return new Server(new Parts(store, passwords, hub, api, outbox, crons, logs), check, node);
        } catch (RuntimeException e) {
            stop(check);
            if (crons != null) crons.close();
            if (hub != null) hub.close();
            if (outbox != null) outbox.close();
            if (logs != null) logs.close();
            if (node != null) node.close();
            passwords.close();
            store.close();
            throw e;
        }
    }

    /**
     * Warns on every start while the JWT secret is generated or the default superuser password still works; in
     * production either one refuses the start. The password check costs one bcrypt per superuser, so outside
     * production it runs a few seconds after the server is up instead of delaying the first answers.
     */
    /** @return the background check still to finish (null when none), joined before the store closes */
    private static Thread securityChecks(Config config, Store store, Passwords passwords, boolean createdWithConfig) {
        boolean defaultConfigured = config.adminPassword().equals(Superusers.DEFAULT_PASSWORD);
        if (config.production()) {
            if (config.jwtSecret() == null) {
                throw new Refused("NANODB_ENV=production needs JWT_SECRET (at least 32 characters)");
            }
            boolean inUse = createdWithConfig ? defaultConfigured : Superusers.defaultPasswordInUse(store, passwords);
            if (inUse) {
                throw new Refused("NANODB_ENV=production refuses the default superuser password: change it (PATCH "
                        + "/api/collections/_superusers/records/{id}) or set NANODB_ADMIN_PASSWORD before the first start");
            }
            return null;
        }
        if (config.jwtSecret() == null) {
            LOG.warn("JWT_SECRET is not set: using a generated secret kept in the store (set JWT_SECRET, at least 32 characters, in production)");
        }
        return Thread.ofVirtual().name("nanodb-password-check").start(() -> {
            try {
                Thread.sleep(PASSWORD_CHECK_DELAY_MS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (Superusers.defaultPasswordInUse(store, passwords)) {
                    LOG.warn("a superuser still has the default password '{}': change it before going to production",
                            Superusers.DEFAULT_PASSWORD);
                }
            } catch (RuntimeException e) {
                LOG.debug("default password check skipped: the server stopped first", e);
            }
        });
    }

    private static Nodes.Membership joinNodes(Config config, Store store) {
        try {
            return NodeStorage.join(store, config);
        } catch (Nodes.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    private static void stop(Thread check) {
        if (check == null) return;
        check.interrupt();
        try {
            check.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Store store() {
        return store;
    }

    public int port() {
        return api.port();
    }

    /** The scheduler of this server's jobs (tests tick it at chosen minutes). */
    public Crons crons() {
        return crons;
    }

    /**
     * Ends the realtime streams, stops accepting, finishes in-flight requests, leaves the other nodes, then closes
     * the store.
     */
    @Override
    public void close() {
        crons.close();
        hub.close();
        api.close();
        outbox.close();
        logs.close();
        if (node != null) node.close();
        stop(check);
        passwords.close();
        store.close();
    }
}
