package dev.nanodb.auth;

import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.WriteOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first superuser, and whether the well-known default password still opens an account. */
public final class Superusers {
    public static final String DEFAULT_PASSWORD = "password123";

    private Superusers() {}

    /** Creates the first superuser when {@code _superusers} is empty; true when it did. Waits until durable. */
    public static boolean ensureFirst(Store store, Passwords passwords, String email, String password) {
        if (store.count(Identity.SUPERUSERS, null) > 0) return false;
        Passwords.check("NANODB_ADMIN_PASSWORD", password);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", AuthService.normalizeEmail(email));
        data.put("password", passwords.hash(password).join());
        data.put("tokenKey", Tokens.newTokenKey());
        data.put("verified", true);
        String now = Times.now();
        store.write(List.of(new WriteOp.Create(Identity.SUPERUSERS, new Record(Ids.newId(), now, now, 1, data)))).join();
        return true;
    }

    /** True when some superuser's password is still {@link #DEFAULT_PASSWORD} (one bcrypt per superuser). */
    public static boolean defaultPasswordInUse(Store store, Passwords passwords) {
        var page = store.query(new Query(Identity.SUPERUSERS, null, List.of(), 1, 50, true));
        for (Record r : page.items()) {
            if (passwords.verifyNow(DEFAULT_PASSWORD, (String) r.data().get("password"))) return true;
        }
        return false;
    }
}
