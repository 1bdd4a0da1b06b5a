package dev.nanodb;

import dev.nanodb.backups.BackupService;
import dev.nanodb.config.Config;
import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.lmdb.LmdbStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code nanodb backup list | create [NAME] | restore FILE} on a STOPPED server's data folder: the same
 * {@link BackupService} as the API, on a store and a file storage opened just for the command (the files are in
 * the archive as over HTTP). A folder that a running server holds
 * is refused (exit 1) — use the API there — because a restore underneath a live server would be lost or
 * overwritten by it. Exit codes: 0 done, 1 refused or failed, 2 usage or PostgreSQL.
 */
final class BackupCommand {
    static final String USAGE = "usage: nanodb backup list | backup create [NAME] | backup restore FILE";
    private final Config config;
    private final Function<Config, Store> open;
    private final PrintStream out;
    private final PrintStream err;

    BackupCommand(Config config, Function<Config, Store> open, PrintStream out, PrintStream err) {
        this.config = config;
        this.open = open;
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        String sub = args.length > 1 ? args[1] : "";
        boolean argsOk = switch (sub) {
            case "list" -> args.length == 2;
            case "create" -> args.length <= 3;
            case "restore" -> args.length == 3;
            default -> false;
        };
        if (!argsOk) {
            err.println(USAGE);
            return 2;
        }
        if (config.databaseUrl() != null) {
            err.println("nanodb: " + BackupService.POSTGRES);
            return 2;
        }
        if (LmdbStore.inUse(config.dbPath().toFile())) {
            err.println("nanodb: the data folder " + config.dbPath() + " is in use by a running server: stop it first,"
                    + " or use the API (POST /api/backups, POST /api/backups/{key}/restore)");
            return 1;
        }
        try (Store store = open.apply(config); FileService files = new FileService(Server.fileStorage(config), store)) {
            BackupService backups = new BackupService(store, files, BackupService.folderOf(config.dbPath()));
            return switch (sub) {
                case "list" -> list(backups);
                case "create" -> create(backups, args.length == 3 ? args[2] : null);
                default -> restore(backups, Path.of(args[2]));
            };
        } catch (ApiException e) {
            err.println("nanodb: " + e.getMessage() + (e.data().isEmpty() ? "" : " " + e.data()));
            return 1;
        } catch (StoreException e) {
            err.println("nanodb: " + e.getMessage());
            return 1;
        }
    }

    private int list(BackupService backups) {
        for (BackupService.Backup b : backups.list()) out.println(b.key() + "\t" + b.size() + "\t" + b.modified());
        return 0;
    }

    private int create(BackupService backups, String name) {
        String key = backups.create(name);
        out.println("created " + backups.file(key) + " (" + size(backups.file(key)) + " bytes)");
        return 0;
    }

    /** A path to a file, or the key of a backup in the backups folder. */
    private int restore(BackupService backups, Path file) {
        Path source = Files.isRegularFile(file) ? file : backups.file(file.toString());
        String previous = backups.restore(source, source.getFileName().toString());
        out.println("restored " + source + "; the data before the restore is kept as " + backups.file(previous));
        return 0;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
