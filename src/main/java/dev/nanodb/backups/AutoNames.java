package dev.nanodb.backups;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Scheduled backups' names and retention, as PocketBase's auto backups: {@code @auto_pb_backup_<app>_<time>.zip},
 * where {@code <app>} is the application's name in lower case with every run of other characters than a-z and
 * 0-9 made one {@code _} (at most 50 characters); only keys with that prefix are ever pruned.
 */
final class AutoNames {
    private static final int MAX_APP = 50;

    private AutoNames() {}

    static String app(String appName) {
        String s = appName == null ? "" : appName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.length() > MAX_APP ? s.substring(0, MAX_APP) : s;
    }

    /** Removes the scheduled backups older than the newest {@code keep}; other backups are never touched. */
    static Void prune(Shelf shelf, int keep) throws IOException {
        List<BackupService.Backup> auto = shelf.list().stream().filter(b -> b.key().startsWith(BackupService.AUTO_PREFIX))
                .sorted(Comparator.comparing(BackupService.Backup::modified).thenComparing(BackupService.Backup::key).reversed())
                .toList();
        for (BackupService.Backup old : auto.subList(Math.min(keep, auto.size()), auto.size())) shelf.delete(old.key());
        return null;
    }
}
