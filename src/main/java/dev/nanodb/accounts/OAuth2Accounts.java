package dev.nanodb.accounts;

import dev.nanodb.accounts.OAuth2SignIn.Form;
import dev.nanodb.accounts.oauth2.AuthUser;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Tokens;
import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Times;
import dev.nanodb.store.AuthOptions.MappedFields;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.WriteOp;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which record a provider's user signs in as, and the one store write that makes it so (PocketBase's
 * {@code oauth2Submit}, followed exactly):
 * <ol>
 *   <li>the record linked to this provider account ({@code _externalAuths});</li>
 *   <li>else the caller, when signed in as a record of this collection (the account gets linked);</li>
 *   <li>else the record whose e-mail is the provider's <em>verified</em> e-mail;</li>
 *   <li>else a new record, created through the records create path exactly as a client's create (rules, protected
 *       fields, validation) from {@code createData}, the provider's verified e-mail unless {@code createData} has one,
 *       the mapped fields unless {@code createData} names them, and a random password unless it has one; it is
 *       {@code verified} when its e-mail is the provider's (the superusers collection never signs up this way).</li>
 * </ol>
 * An existing record that is not verified is protected against pre-hijacking: unless it is the caller's own, its
 * password is replaced by a random one (rotating its token key, which ends its sessions), and all its other links are
 * removed; it becomes verified when it has no e-mail (it then takes the provider's) or the provider's. Changes, link
 * removals and the new link are one store write; the derived unique keys of {@code _externalAuths} refuse a second
 * link made concurrently.
 */
public final class OAuth2Accounts {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;
    private final RecordService records;
    private final Passwords passwords;
    private final ExternalAuths links;

    public OAuth2Accounts(Store store, RecordService records, Passwords passwords, ExternalAuths links) {
        this.store = store;
        this.records = records;
        this.passwords = passwords;
        this.links = links;
    }

    /** The signed-in record and whether it was created by this sign-in. */
    record Outcome(Identity identity, boolean isNew) {}

    /** Blocking (reads the store); the write completes the future. */
    CompletableFuture<Outcome> signIn(Form form, AuthUser user, Identity caller) {
        CollectionDef c = form.collection();
        String provider = form.provider().name();
        String email = user.verifiedEmail().isEmpty() ? "" : AuthService.normalizeEmail(user.verifiedEmail());
        List<WriteOp> ops = new ArrayList<>();
        Record link = links.find(c.id(), provider, user.id());
        Record record = null;
        if (link != null) {
            record = store.get(c.name(), String.valueOf(link.data().get("recordRef"))).orElse(null);
            if (record == null) {
                ops.add(new WriteOp.Delete(ExternalAuths.COLLECTION, link.id(), null)); // left by a deleted record
                link = null;
            }
        }
        if (record == null && link == null && caller != null && caller.collection().id().equals(c.id())) {
            record = caller.record();
        } else if (record == null && !email.isEmpty()) {
            record = first(c, "email", email);
        }
        if (record == null) return create(form, user, email, caller, ops);
        return existing(form, user, email, caller, record, link, ops);
    }

    private CompletableFuture<Outcome> create(Form form, AuthUser user, String email, Identity caller, List<WriteOp> ops) {
        CollectionDef c = form.collection();
        if (c.name().equals(Identity.SUPERUSERS)) throw new ApiException(400, "Failed to authenticate.");
        Map<String, Object> payload = new LinkedHashMap<>(form.createData());
        if (!(payload.get("email") instanceof String given) || given.isEmpty()) payload.put("email", email);
        mapFields(c, user, payload);
        if (!(payload.get("password") instanceof String pw) || pw.isEmpty()) {
            String random = randomPassword();
            payload.put("password", random);
            payload.put("passwordConfirm", random);
        }
        RequestInfo req = new RequestInfo(caller, "POST", Map.of(), payload);
        return records.prepareCreate(c, payload, req).thenCompose(prepared -> {
            Record r = ((WriteOp.Create) prepared.op()).record();
            String created = r.data().get("email") instanceof String s ? s : "";
            if (created.equals(email) && !Boolean.TRUE.equals(r.data().get("verified"))) {
                Map<String, Object> data = new LinkedHashMap<>(r.data());
                data.put("verified", true);
                r = new Record(r.id(), r.created(), r.updated(), r.version(), data);
            }
            List<WriteOp> all = new ArrayList<>(ops);
            all.add(new WriteOp.Create(c.name(), r));
            all.add(ExternalAuths.create(c.id(), r.id(), form.provider().name(), user.id()));
            return store.write(all).thenApply(changes -> new Outcome(new Identity(c, changes.get(ops.size()).record()), true));
        });
    }

    private CompletableFuture<Outcome> existing(Form form, AuthUser user, String email, Identity caller, Record record,
                                                Record link, List<WriteOp> ops) {
        CollectionDef c = form.collection();
        boolean own = caller != null && caller.collection().id().equals(c.id()) && caller.id().equals(record.id());
        boolean verified = Boolean.TRUE.equals(record.data().get("verified"));
        String stored = record.data().get("email") instanceof String s ? s : "";
        boolean takeEmail = stored.isEmpty() && !email.isEmpty();
        boolean verify = !verified && (stored.isEmpty() || stored.equals(email));
        boolean resetPassword = !own && !verified;
        List<WriteOp> unlinks = verified ? List.of() : links.deletesOf(c.id(), record.id());
        ops.addAll(unlinks);
        boolean rotate = verify && !unlinks.isEmpty(); // PocketBase: a verified upgrade that removed links ends sessions
        boolean relink = link == null || !verified;
        CompletableFuture<String> hash = resetPassword ? passwords.hash(randomPassword()) : CompletableFuture.completedFuture(null);
        return hash.thenCompose(newHash -> {
            int at = -1;
            if (takeEmail || verify || newHash != null) {
                at = ops.size();
                ops.add(new WriteOp.Update(c.name(), record.id(), record.version(), current -> {
                    Map<String, Object> data = new LinkedHashMap<>(current.data());
                    if (takeEmail) data.put("email", email);
                    if (verify) data.put("verified", true);
                    if (newHash != null || rotate) data.put("tokenKey", Tokens.newTokenKey());
                    if (newHash != null) data.put("password", newHash);
                    return current.next(c, data, Times.now());
                }));
            }
            if (relink) ops.add(ExternalAuths.create(c.id(), record.id(), form.provider().name(), user.id()));
            if (ops.isEmpty()) return CompletableFuture.completedFuture(new Outcome(new Identity(c, record), false));
            int updated = at;
            return store.write(ops).thenApply(changes -> new Outcome(
                    new Identity(c, updated < 0 ? record : changes.get(updated).record()), false));
        });
    }

    /** PocketBase's mapped fields, each only when {@code createData} does not name it. */
    private void mapFields(CollectionDef c, AuthUser user, Map<String, Object> payload) {
        MappedFields m = c.authOptions().oauth2().mappedFields();
        putMapped(payload, m.id(), user.id());
        putMapped(payload, m.name(), user.name());
        if (!m.username().isEmpty() && !payload.containsKey(m.username()) && !user.username().isEmpty()
                && c.field(m.username()).isPresent() && freeValue(c, m.username(), user.username())) {
            payload.put(m.username(), user.username());
        }
        // a file field would need the avatar downloaded: not done (documented); a text field takes the URL
        if (!m.avatarURL().isEmpty() && !user.avatarUrl().isEmpty()
                && c.field(m.avatarURL()).filter(f -> f.type() != FieldType.FILE).isPresent()) {
            putMapped(payload, m.avatarURL(), user.avatarUrl());
        }
    }

    private static void putMapped(Map<String, Object> payload, String field, String value) {
        if (!field.isEmpty() && !payload.containsKey(field)) payload.put(field, value);
    }

    private boolean freeValue(CollectionDef c, String field, String value) {
        return first(c, field, value) == null;
    }

    /** The first record of {@code c} whose {@code field} equals {@code value}, or null. */
    private Record first(CollectionDef c, String field, String value) {
        List<Record> found = store.query(new Query(c.name(), new Compare(new Field(field), Op.EQ, new Literal(value)),
                List.of(), 1, 1, true)).items();
        return found.isEmpty() ? null : found.get(0);
    }

    /** 30 random URL-safe characters: a password nobody knows (the account signs in through its provider). */
    private static String randomPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
