package dev.nanodb;

import dev.nanodb.config.Config;
import dev.nanodb.config.ConfigException;
import dev.nanodb.config.ConfigLoader;
import dev.nanodb.collections.RulesFile;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Store;
import dev.nanodb.store.lmdb.LmdbStore;
import dev.nanodb.store.postgres.DatabaseUrl;
import dev.nanodb.store.postgres.PostgresStore;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point. {@code nanodb} (or {@code nanodb serve}) runs the server; {@code nanodb check} verifies every
 * index of a stopped server's data folder against its records and exits 0 when clean, 1 otherwise;
 * {@code nanodb backup …} lists, takes and restores backups of a stopped server's data folder ({@link BackupCommand}).
 *
 * <p>Shutdown on SIGTERM/SIGINT: stop accepting, let in-flight requests finish, drain the writer (every queued
 * write is committed and answered), close the store, exit 0.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> LOG.error("uncaught failure in thread {}", thread.getName(), e));
        String command = args.length == 0 ? "serve" : args[0];
        Config config;
        try {
            config = ConfigLoader.load(System.getenv(), Path.of(".env"));
        } catch (ConfigException e) {
            System.err.println("nanodb: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        switch (command) {
            case "serve" -> serve(config);
            case "check" -> System.exit(check(config));
            case "backup" -> System.exit(new BackupCommand(config, Main::open, System.out, System.err).run(args));
            case "help", "--help", "-h" -> System.out.println("usage: nanodb [serve | check | backup list | "
                    + "backup create [NAME] | backup restore FILE | help]");
            default -> {
                System.err.println("nanodb: unknown command '" + command + "' (try: serve, check, backup, help)");
                System.exit(2);
            }
        }
    }

    /** Threads running a node's PostgreSQL writes (it pools twice as many connections): enough for a 2-core node. */
    private static final int PG_POOL_SIZE = 8;

    /** PostgreSQL when {@code DATABASE_URL} is set (tables in its {@code public} schema), else the embedded LMDB. */
    private static Store open(Config config) {
        if (config.databaseUrl() != null) {
            return new PostgresStore(DatabaseUrl.parse(config.databaseUrl()), "public", PG_POOL_SIZE);
        }
        return new LmdbStore(config.dbPath().toFile(), config.initialMapSize(), config.dbMaxSize(), config.durable());
    }

    private static void serve(Config config) {
        config.warnings().forEach(w -> LOG.warn(w));
        if (!config.durable()) LOG.warn("DB_DURABILITY=relaxed: acknowledged writes may be lost on a power failure");
        Store store;
        try {
            store = open(config);
        } catch (RuntimeException e) {
            System.err.println("nanodb: cannot open the store at "
                    + (config.databaseUrl() != null ? "DATABASE_URL" : config.dbPath()) + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Server server;
        try {
            server = Server.start(config, store);
        } catch (Server.Refused | RulesFile.Invalid e) {
            System.err.println("nanodb: refusing to start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("nanodb: " + e.getMessage());
            System.exit(1);
            return;
        }
        LOG.info("NanoDB listening on http://{}:{} (data in {})", config.host(), server.port(),
                config.databaseUrl() != null ? "PostgreSQL" : config.dbPath().toAbsolutePath().normalize());
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("shutting down: finishing in-flight requests");
        try {
            server.close();
            LOG.info("stopped cleanly");
        } catch (Throwable t) {
            // the process must end even when closing fails (e.g. its jar was replaced while it ran): otherwise
            // the non-daemon server threads would keep a half-stopped server alive
            System.err.println("nanodb: shutdown failed: " + t);
            Runtime.getRuntime().halt(1);
        }
        System.exit(0);
    }

    private static int check(Config config) {
        try (Store store = open(config)) {
            ConsistencyReport r = store.check();
            System.out.println("records checked: " + r.recordsChecked() + ", index entries checked: " + r.indexEntriesChecked());
            r.problems().forEach(p -> System.out.println("PROBLEM: " + p));
            System.out.println(r.clean() ? "consistent" : "INCONSISTENT");
            return r.clean() ? 0 : 1;
        }
    }
}
