package dev.nanodb.accounts;

import dev.nanodb.mail.Mail;
import dev.nanodb.mail.Templates;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import java.util.HashMap;
import java.util.Map;

/**
 * The messages of the account flows: a purpose's template filled with the application's name and address (the
 * settings), the token, and the record's visible fields as {@code {RECORD:field}} (hidden fields — the password
 * hash, the token key — never).
 */
final class AccountMails {
    private final SettingsService settings;

    AccountMails(SettingsService settings) {
        this.settings = settings;
    }

    Mail compose(AuthOptions.Template t, CollectionDef c, Record r, String to, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(settings.appValues());
        values.put("RECORD:id", r.id());
        for (FieldDef f : c.fields()) {
            Object v = r.data().get(f.name());
            if (!f.hidden() && f.type() != dev.nanodb.store.FieldType.PASSWORD && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                values.put("RECORD:" + f.name(), String.valueOf(v));
            }
        }
        values.putAll(extra);
        return settings.mail(to, Templates.subject(t.subject(), values), Templates.body(t.body(), values));
    }
}
