package dev.nanodb;

import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Secrets;
import dev.nanodb.auth.Superusers;
import dev.nanodb.auth.Tokens;
import dev.nanodb.config.Config;
import dev.nanodb.http.HttpApi;
import dev.nanodb.records.RecordService;
import dev.nanodb.records.RulesFile;
import dev.nanodb.records.SystemCollections;
import dev.nanodb.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running NanoDB: the wiring of store, auth, records and HTTP, shared by {@link Main} and the tests so both
 * run the same start-up. Start-up order: system collections, the token secret, the first superuser, the rules
 * file, the security checks, then the HTTP server — a server never answers before its rules are in place.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    private final Store store;
    private final Passwords passwords;
    private final HttpApi api;

    private Server(Store store, Passwords passwords, HttpApi api) {
        this.store = store;
        this.passwords = passwords;
        this.api = api;
    }

    /** A refusal to start: the message says what to change. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Starts on an opened store; the store is closed again if the start fails. */
    public static Server start(Config config, Store store) {
        Passwords passwords = new Passwords(config.bcryptCost());
        try {
            SystemCollections.ensure(store);
            byte[] secret = Secrets.serverSecret(config.jwtSecret(), config.dbPath());
            boolean created = Superusers.ensureFirst(store, passwords, config.adminEmail(), config.adminPassword());
            if (created) LOG.info("created the first superuser {}", config.adminEmail());
            int ruled = RulesFile.apply(store, config.rulesFile(), config.rulesFileExplicit());
            if (ruled > 0) LOG.info("applied the rules of {} collections from {}", ruled, config.rulesFile());
            securityChecks(config, store, passwords, created);
            Tokens tokens = new Tokens(secret, config.jwtExpiresIn());
            AuthService auth = new AuthService(store, passwords, tokens, config.authRateLimit().max(),
                    config.authRateLimit().window().toMillis());
            RecordService records = new RecordService(store, config.autoCollections(), passwords);
            return new Server(store, passwords, HttpApi.start(config, store, records, auth));
        } catch (RuntimeException e) {
            passwords.close();
            store.close();
            throw e;
        }
    }

    /**
     * Warns on every start while the JWT secret is generated or the default superuser password still works; in
     * production either one refuses the start. The password check costs one bcrypt per superuser, so outside
     * production it runs after the server is up instead of delaying the first answer.
     */
    private static void securityChecks(Config config, Store store, Passwords passwords, boolean createdWithConfig) {
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
            return;
        }
        if (config.jwtSecret() == null) {
            LOG.warn("JWT_SECRET is not set: using a generated secret kept in the data folder (set JWT_SECRET, at least 32 characters, in production)");
        }
        Thread.ofVirtual().name("nanodb-password-check").start(() -> {
            if (Superusers.defaultPasswordInUse(store, passwords)) {
                LOG.warn("a superuser still has the default password '{}': change it before going to production", Superusers.DEFAULT_PASSWORD);
            }
        });
    }

    public Store store() {
        return store;
    }

    public int port() {
        return api.port();
    }

    /** Stops accepting, finishes in-flight requests, then closes the store. */
    @Override
    public void close() {
        api.close();
        passwords.close();
        store.close();
    }
}
