package dev.nanodb;

import dev.nanodb.accounts.ExpiredSessions;
import dev.nanodb.backups.BackupService;
import dev.nanodb.crons.Crons;
import dev.nanodb.files.FileService;
import dev.nanodb.logs.LogService;
import dev.nanodb.settings.Settings;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.store.Nodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs every server schedules ({@code /api/crons}), with PocketBase's ids where PocketBase has the job:
 * <ul>
 *   <li>{@value #FILES_SWEEP} ({@code 0 * * * *}): removes stored files no record names, older than an hour (far
 *       longer than a write takes between storing its files and committing);
 *   <li>{@value #OTP_CLEANUP}, {@value #MFA_CLEANUP} ({@code 0 * * * *}): remove expired one-time codes and MFA
 *       sessions of accounts that did not come back ({@link ExpiredSessions});
 *   <li>{@value #LOGS_CLEANUP} ({@code 0 * * * *}, on every node: each keeps its own request logs): removes the
 *       entries the logs settings no longer keep ({@link LogService#cleanup});
 *   <li>{@value #AUTO_BACKUP} (the setting {@code backups.cron}; listed only while it is set, and only on a store
 *       that takes backups): a backup named {@code @auto_pb_backup_<app>_<time>.zip}, then the scheduled backups
 *       beyond {@code backups.cronMaxKeep} are removed.
 * </ul>
 * Other packages' jobs are registered on the returned {@link Crons} with {@link Crons#register}.
 */
final class BuiltInJobs {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltInJobs.class);
    static final String FILES_SWEEP = "__nanodbFilesSweep__";
    static final String AUTO_BACKUP = "__pbAutoBackup__";
    static final String OTP_CLEANUP = "__pbOTPCleanup__";
    static final String MFA_CLEANUP = "__pbMFACleanup__";
    static final String LOGS_CLEANUP = "__pbLogsCleanup__";

    /** What the jobs work on; {@code takesBackups}: the store has snapshots (LMDB). */
    record Parts(FileService files, BackupService backups, SettingsService settings, ExpiredSessions sessions,
                 LogService logs, boolean takesBackups) {}

    private BuiltInJobs() {}

    /** @param node this node's registration on a store several nodes share, or null */
    static Crons start(Nodes.Membership node, Parts p) {
        Crons crons = new Crons(node, Clock.systemUTC());
        crons.register(FILES_SWEEP, "0 * * * *", () -> sweep(p.files()));
        crons.register(OTP_CLEANUP, "0 * * * *", () -> logRemoved(p.sessions().removeCodes(), "expired one-time codes"));
        crons.register(MFA_CLEANUP, "0 * * * *", () -> logRemoved(p.sessions().removeMfaSessions(), "expired MFA sessions"));
        crons.registerOnEachNode(LOGS_CLEANUP, "0 * * * *", p.logs()::cleanupLogged);
        if (p.takesBackups()) {
            crons.register(AUTO_BACKUP, () -> p.settings().current().backups().cron(), () -> {
                Settings s = p.settings().current();
                String key = p.backups().createScheduled(s.meta().appName(), s.backups().cronMaxKeep());
                LOG.info("scheduled backup {} written", key);
            });
        }
        crons.start();
        return crons;
    }

    private static void sweep(FileService files) {
        try {
            logRemoved(files.sweep(Instant.now().minusSeconds(3600)), "files no record names");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void logRemoved(int n, String what) {
        if (n > 0) LOG.info("removed {} {}", n, what);
    }
}
