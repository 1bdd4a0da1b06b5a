package dev.nanodb.settings;

import dev.nanodb.collections.SystemCollections;
import dev.nanodb.config.Config;
import dev.nanodb.mail.Mail;
import dev.nanodb.mail.SmtpServer;
import dev.nanodb.schema.Times;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.WriteOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and changes the settings. They are one record of {@code _params} ({@link #RECORD_ID}, its hidden field
 * {@code value}), read from the store at each use: a change made on one node is what every node reads next, and no
 * copy can be stale. A read costs one lookup by id, and settings are read only to answer this API and to send
 * mail.
 *
 * <p>What a client receives never holds a secret: the SMTP password is left out (as PocketBase leaves it out), and
 * a PATCH that does not name it keeps it.
 */
public final class SettingsService {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsService.class);
    static final String RECORD_ID = "settings0000000";
    private final Store store;
    private final Settings defaults;
    private final Map<String, Object> environment;
    /** Why this server takes no backups (its store has no snapshots: PostgreSQL), else null. */
    private final String backupsRefused;

    /** @param backupsRefused why this server takes no backups, so settings scheduling them are refused; null: it does */
    public SettingsService(Store store, Config config, String backupsRefused) {
        this.store = store;
        this.backupsRefused = backupsRefused;
        this.defaults = Settings.defaults(config.port());
        this.environment = EnvSettings.of(config);
    }

    public Settings current() {
        Record r = store.get(SystemCollections.PARAMS, RECORD_ID).orElse(null);
        if (r == null || !(r.data().get("value") instanceof Map<?, ?> value)) return defaults;
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) value;
        return SettingsCodec.fromStored(stored, defaults);
    }

    public SmtpServer smtp() {
        return current().smtp();
    }

    /** The settings as {@code GET /api/settings} answers them: PocketBase's shape, without secrets. */
    public Map<String, Object> wire(Settings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meta", SettingsCodec.meta(s.meta()));
        out.put("smtp", SettingsCodec.smtp(s.smtp()));
        out.put("backups", BackupSettings.wire(s.backups()));
        out.put("logs", LogsSettings.wire(s.logs()));
        out.putAll(environment);
        out.put("superuserIPs", List.of());
        return out;
    }

    /** Validates a PATCH body against the stored settings and stores the result; blocking (call it on a worker). */
    public Settings update(Map<String, Object> body) {
        Record r = store.get(SystemCollections.PARAMS, RECORD_ID).orElse(null);
        Settings next = SettingsPatch.apply(body, current(), environment, backupsRefused);
        String now = Times.now();
        Map<String, Object> data = Map.of("value", SettingsCodec.toStored(next));
        WriteOp op = r == null ? new WriteOp.Create(SystemCollections.PARAMS, new Record(RECORD_ID, now, now, 1, data))
                : new WriteOp.Replace(SystemCollections.PARAMS, new Record(RECORD_ID, r.created(), now, r.version() + 1, data), r.version());
        store.write(List.of(op)).join();
        LOG.info("settings changed (SMTP {})", next.smtp().enabled() ? "enabled" : "disabled");
        return next;
    }

    /** A message from the application's sender, as the settings name it now. */
    public Mail mail(String to, String subject, String html) {
        Settings.Meta meta = current().meta();
        return new Mail(meta.senderName(), meta.senderAddress(), to, subject, html);
    }

    /** Whether {@code idOrName} names an auth collection. */
    boolean isAuthCollection(String idOrName) {
        return store.collection(idOrName).filter(c -> c.isAuth()).isPresent();
    }

    /** The auth options of the auth collection {@code idOrName} (the defaults when it has none). */
    AuthOptions authOptions(String idOrName) {
        AuthOptions o = store.collection(idOrName).map(c -> c.authOptions()).orElse(null);
        return o == null ? AuthOptions.defaults() : o;
    }

    /** The values of {@code {APP_NAME}} and {@code {APP_URL}} for a template. */
    public Map<String, String> appValues() {
        Settings.Meta meta = current().meta();
        String url = meta.appURL().endsWith("/") ? meta.appURL().substring(0, meta.appURL().length() - 1) : meta.appURL();
        return Map.of("APP_NAME", meta.appName(), "APP_URL", url);
    }
}
