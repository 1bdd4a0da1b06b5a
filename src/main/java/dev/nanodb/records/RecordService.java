package dev.nanodb.records;

import dev.nanodb.auth.Passwords;
import dev.nanodb.collections.CollectionService;
import dev.nanodb.collections.SystemCollections;
import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.files.Upload;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.rules.CollectionJoin;
import dev.nanodb.rules.SecretFields;
import dev.nanodb.rules.SemiJoin;
import dev.nanodb.schema.AutoValues;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The records use cases shared by every entry point (single routes, batch, realtime): rules,
 * field protection, validation, system fields, and atomic writes.
 *
 * <p>Rules are checked where the record they judge is current: view and delete against the stored record,
 * create against the would-be record, update and delete inside the store's write transaction against the record
 * they are about to change (so a concurrent change cannot slip a record out of the caller's reach between check
 * and write). A failed view, update or delete rule answers 404, exactly as a missing record does, so rules never
 * reveal that a record exists; a failed create rule answers 400; a locked rule answers 403.
 */
public final class RecordService {
    private final Store store;
    private final CollectionService collections;
    private final boolean autoCollections;
    private final Passwords passwords;
    private final FileService files;

    public RecordService(Store store, CollectionService collections, boolean autoCollections, Passwords passwords,
                         FileService files) {
        this.store = store;
        this.collections = collections;
        this.autoCollections = autoCollections;
        this.passwords = passwords;
        this.files = files;
    }

    public FileService files() {
        return files;
    }

    public Store store() {
        return store;
    }

    public CollectionService collections() {
        return collections;
    }

    public CollectionDef collection(String name) {
        return find(name).orElseThrow(() -> ApiException.notFound("Missing collection context."));
    }

    /** A collection the records API serves: every one but {@code _params}, the server's own values (the settings). */
    private java.util.Optional<CollectionDef> find(String name) {
        return collections.find(name).filter(c -> !SystemCollections.PARAMS.equals(c.name()));
    }

    /** The compiled rules of {@code c}, as its owner keeps them. */
    public CompiledRules rules(CollectionDef c) {
        return collections.rules(c);
    }

    /**
     * The stored record a view asks for, before its view rule is judged ({@link #viewable}): 403 when the view
     * rule is locked — for every id, existing or not, so a locked collection tells nobody which ids exist — and
     * 404 when absent.
     */
    public Record find(CollectionDef c, String id, RequestInfo req) {
        Access.checkUnlocked(rules(c), Action.VIEW, req);
        if (!Ids.valid(id)) throw notFound();
        return store.get(c.name(), id).orElseThrow(RecordService::notFound);
    }

    /** {@code r} when the view rule lets the caller see it, else the 404 of a missing record. */
    public Record viewable(CollectionDef c, Record r, RequestInfo req) {
        if (!Access.allows(rules(c), Action.VIEW, req, r)) throw notFound();
        return r;
    }

    /**
     * Whether a record with this id exists and the caller may view it. Where an answer depends on existence
     * (a batch upsert choosing update or create), a record the caller may not view counts as absent, so the
     * answer is the same whether it exists or not.
     */
    public boolean visible(CollectionDef c, String id, RequestInfo req) {
        if (!Ids.valid(id)) return false;
        return store.get(c.name(), id).map(r -> Visibility.canView(rules(c), req, r)).orElse(false);
    }

    /** The store query for a list request with the list rule ANDed in; null when the rule admits no record. */
    public Query listQuery(CollectionDef c, ListParams p, RequestInfo req) {
        Access.Scope scope = Access.listScope(rules(c), req);
        Query q = QueryBuilder.build(c, p, req);
        SecretFields.refuse(c, q.filter(), store::collection, "filter");
        if (scope.nothing()) return null;
        // relation paths of the caller's filter become semi-joins, through records the caller may list
        if (req.superuser()) q = q.withFilter(Access.resolveJoins(rules(c), q.filter(), req));
        q = q.withFilter(SemiJoin.forClient(rules(c).lookup(), req).rewrite(c, q.filter()));
        return scope.filter() == null ? q : q.withFilter(Filters.and(scope.filter(), q.filter()));
    }

    /**
     * Refuses (400) a caller's own filter that a list would refuse, without running it: relation paths the caller may
     * not follow, {@code @collection} joins that cannot be resolved. For filters judged later (realtime).
     */
    public void checkClientFilter(CollectionDef c, Expr filter, RequestInfo req) {
        SemiJoin.forClient(rules(c).lookup(), req).check(c, filter);
        SecretFields.refuse(c, filter, store::collection, "filter");
        String join = CollectionJoin.problem(c, filter, store::collection);
        if (join != null) throw ApiException.invalidField("filter", "validation_invalid_filter", join);
    }

    /**
     * Whether {@link #listQuery} reads other records for this list: its list rule or its filter names a path
     * through a relation (or a back-relation), whose semi-join asks the target collection. Such a query is built
     * off the event loop. A filter is judged by its text (a dotted name anywhere), which may say yes for a JSON
     * path too: that only moves a cheap list to a worker.
     */
    public boolean listQueryReads(CollectionDef c, ListParams p) {
        if (p.filter() != null && p.filter().contains(".")) return true; // also every @collection join
        return rules(c).reads(Action.LIST);
    }

    /** Whether judging {@code c}'s view rule reads other records (it follows a relation). */
    public boolean viewRuleReads(CollectionDef c) {
        return rules(c).reads(Action.VIEW);
    }

    /**
     * A write checked and stamped by one of the {@code prepare} methods, ready for {@link Store#write} alone or
     * together with others (the batch API): every entry point runs the same rules, field protection, validation
     * and password hashing, because every entry point prepares its writes here.
     *
     * @param request the request the write was prepared for: its caller is who the answer is judged for
     */
    public record Prepared(CollectionDef collection, CompiledRules rules, WriteOp op, RequestInfo request) {
        /**
         * The record to answer with once {@code change}, this write's change, has committed; empty when the caller
         * may not view it ({@link Visibility}). A delete's answer is the deleted record, of which only the id is
         * ever shown.
         */
        public Optional<Record> answer(Change change) {
            Record r = change.record();
            boolean shown = switch (op) {
                case WriteOp.Delete d -> true;
                case WriteOp.Create cr -> Visibility.canViewCreated(rules, request, r);
                default -> Visibility.canView(rules, request, r);
            };
            return shown ? Optional.of(r) : Optional.empty();
        }
    }

    /**
     * A committed write. The store completes it on its writer thread, so the answer is judged (view rule) only
     * when the caller asks for it, on the caller's thread.
     */
    public record Written(Prepared prepared, Change change) {
        /** See {@link Prepared#answer}. */
        public Optional<Record> answer() {
            return prepared.answer(change);
        }
    }

    /**
     * Creates a record, creating its collection first (schemaless, seed rules) when it does not exist. The answer
     * is empty when the caller may not view the new record ({@link Prepared#answer}).
     */
    public CompletableFuture<Written> create(String collection, Map<String, Object> body, RequestInfo req) {
        return collectionForCreate(collection, req).thenCompose(c -> prepareCreate(c, body, req)).thenCompose(this::writeOne);
    }

    /** As {@link #create(String, Map, RequestInfo)}, with uploaded files ({@link RecordFiles}). */
    public CompletableFuture<Written> create(String collection, Map<String, Object> body, RequestInfo req, List<Upload> uploads) {
        if (uploads.isEmpty()) return create(collection, body, req);
        return collectionForCreate(collection, req).thenCompose(c -> RecordFiles.write(this, RecordFiles.stageCreate(this, c, body, req, uploads)));
    }

    /** See {@link #prepareUpdate}; the answer is empty when the caller may not view the record. */
    public CompletableFuture<Written> update(CollectionDef c, String id, Map<String, Object> body, RequestInfo req) {
        return update(c, id, body, req, List.of());
    }

    /** As {@link #update(CollectionDef, String, Map, RequestInfo)}, with uploaded files ({@link RecordFiles}). */
    public CompletableFuture<Written> update(CollectionDef c, String id, Map<String, Object> body, RequestInfo req,
                                             List<Upload> uploads) {
        if (uploads.isEmpty() && !RecordFiles.hasFileFields(c)) return prepareUpdate(c, id, body, req).thenCompose(this::writeOne);
        return RecordFiles.write(this, RecordFiles.stageUpdate(this, c, id, body, req, uploads));
    }

    /**
     * Stores the uploads of a create and prepares it, for a batch: the caller writes {@link StagedWrite#prepared()}
     * and reports the outcome to the staged write.
     */
    public CompletableFuture<StagedWrite> stageCreate(CollectionDef c, Map<String, Object> body, RequestInfo req, List<Upload> uploads) {
        return RecordFiles.stageCreate(this, c, body, req, uploads);
    }

    /** As {@link #stageCreate}, for an update (which also removes, once committed, the files it no longer names). */
    public CompletableFuture<StagedWrite> stageUpdate(CollectionDef c, String id, Map<String, Object> body, RequestInfo req,
                                                      List<Upload> uploads) {
        return RecordFiles.stageUpdate(this, c, id, body, req, uploads);
    }

    /** Whether {@code c} has file fields: its writes then go through {@link #stageCreate} / {@link #stageUpdate}. */
    public static boolean hasFiles(CollectionDef c) {
        return RecordFiles.hasFileFields(c);
    }

    /** See {@link #prepareDelete}. */
    public CompletableFuture<Written> delete(CollectionDef c, String id, Long expectedVersion, RequestInfo req) {
        return writeOne(prepareDelete(c, id, expectedVersion, req));
    }

    /** Prepares a create: protected fields, the id, password hashing, validation, then the create rule. */
    public CompletableFuture<Prepared> prepareCreate(CollectionDef c, Map<String, Object> body, RequestInfo req) {
        return prepareCreate(c, body, req, null, Set.of());
    }

    /**
     * @param presetId the id files were stored under before (null: from the body, or a new one)
     * @param newFiles the stored names of this write's uploads, the only new names a file field may take
     */
    CompletableFuture<Prepared> prepareCreate(CollectionDef c, Map<String, Object> body, RequestInfo req, String presetId,
                                              Set<String> newFiles) {
        Access.checkUnlocked(rules(c), Action.CREATE, req);
        Map<String, Object> input = new LinkedHashMap<>(Modifiers.apply(c, Map.of(), FieldGuard.create(c, body, req)));
        AutoValues.dropAutodates(c, input);
        Object rawId = input.remove("id");
        String id;
        if (presetId != null) {
            id = presetId;
        } else if (rawId == null || "".equals(rawId)) {
            id = Ids.newId();
        } else if (rawId instanceof String s && Ids.valid(s)) {
            id = s;
        } else {
            throw ApiException.invalidField("id", "validation_invalid_id", "Must be 15 characters of a-z and 0-9.");
        }
        CompletableFuture<Map<String, Object>> hashes = PasswordFields.take(passwords, c, input);
        CompletableFuture<Map<String, Object>> prepared = c.isAuth()
                ? AuthRecords.prepareCreate(passwords, input) : CompletableFuture.completedFuture(input);
        return prepared.thenCombine(hashes, (ready, hashed) -> {
            ready.putAll(hashed);
            AutoValues.autogenerate(c, ready);
            Map<String, Object> data = RecordValidator.validate(c, ready, true);
            FileValues.checkCreate(c, data, newFiles);
            String now = Times.now();
            AutoValues.stampCreate(c, data, now);
            Record r = new Record(id, now, now, 1, data);
            if (!Access.allows(rules(c), Action.CREATE, Modifiers.forRules(c, Map.of(), req), r)) {
                throw new ApiException(400, "Failed to create record.");
            }
            return new Prepared(c, rules(c), new WriteOp.Create(c.name(), r), req);
        });
    }

    /**
     * Prepares an update that merges {@code body} into the stored record and validates the result inside the
     * store's write transaction, so concurrent updates of one record are applied one after the other and never
     * fail each other (and an update following another write of the same record in one batch sees that write);
     * only a stale {@code _expectedVersion} is a conflict. The update rule decides first, inside the transaction,
     * before the version is compared ({@link #permission}). A password change is checked and hashed before the
     * transaction against the record as stored then, and the transaction only verifies that the password it
     * checked is still the stored one.
     */
    public CompletableFuture<Prepared> prepareUpdate(CollectionDef c, String id, Map<String, Object> body, RequestInfo req) {
        return prepareUpdate(c, id, body, req, Set.of(), null);
    }

    /**
     * @param newFiles the stored names of this write's uploads, the only new names a file field may take
     * @param before   receives the file names of the record as the committed update found it (null: not wanted)
     */
    CompletableFuture<Prepared> prepareUpdate(CollectionDef c, String id, Map<String, Object> body, RequestInfo req,
                                              Set<String> newFiles, AtomicReference<List<String>> before) {
        Access.checkUnlocked(rules(c), Action.UPDATE, req);
        Long expected = version(body.get("_expectedVersion"), "_expectedVersion");
        if (!Ids.valid(id)) throw notFound();
        FieldGuard.sameId(id, body);
        Map<String, Object> changes = new LinkedHashMap<>(body);
        changes.remove("tokenKey");
        AutoValues.dropAutodates(c, changes);
        CompletableFuture<Map<String, Object>> hashes = PasswordFields.take(passwords, c, changes);
        CompletableFuture<AuthRecords.PasswordChange> password = CompletableFuture.completedFuture(null);
        if (c.isAuth()) {
            AuthRecords.normalizeEmail(changes);
            if (AuthRecords.changesPassword(changes)) {
                Record current = store.get(c.name(), id).orElseThrow(RecordService::notFound);
                if (!Access.allows(rules(c), Action.UPDATE, Modifiers.forRules(c, current.data(), req), current)) throw notFound();
                password = AuthRecords.prepareChange(passwords, current, changes, FieldGuard.manages(rules(c), req, current));
            }
        }
        return password.thenCombine(hashes, (change, hashed) -> new Prepared(c, rules(c), new WriteOp.Update(c.name(), id, expected,
                permission(rules(c), Action.UPDATE, req, expected), current -> {
            FieldGuard.update(rules(c), current, changes, req);
            Map<String, Object> merged = new LinkedHashMap<>(current.data());
            merged.putAll(Modifiers.apply(c, current.data(), changes));
            merged.putAll(hashed);
            if (change != null) AuthRecords.apply(change, current, merged);
            if (c.isAuth() && !FieldGuard.manages(rules(c), req, current)) AuthRecords.unverifyOnEmailChange(current, merged);
            Map<String, Object> data = RecordValidator.validate(c, merged, false);
            FileValues.checkUpdate(c, current.data(), data, newFiles);
            if (before != null) before.set(FileService.names(c, current.data()));
            return current.next(c, data, Times.now());
        }), req));
    }

    /**
     * Prepares the delete of a record the delete rule allows. The rule is checked inside the write transaction
     * on the very version being deleted (so a record changed in between — or earlier in the same batch — is
     * judged as it is); a refusal is a 404 like a missing record, and comes before any version comparison.
     */
    public Prepared prepareDelete(CollectionDef c, String id, Long expectedVersion, RequestInfo req) {
        Access.checkUnlocked(rules(c), Action.DELETE, req);
        if (!Ids.valid(id)) throw notFound();
        return new Prepared(c, rules(c), new WriteOp.Delete(c.name(), id, expectedVersion,
                permission(rules(c), Action.DELETE, req, expectedVersion)), req);
    }

    /**
     * The check a write runs on the stored record before the store compares versions: a record the rule of
     * {@code action} refuses is a 404, as a missing one; a stale {@code expected} version of a record the caller
     * may change but not view is a 409 that does not name the stored version. So neither the status nor the
     * message of a refused or conflicting write tells more than the caller may see. The rule sees the body's
     * modifiers resolved against this very record ({@link Modifiers#forRules}).
     */
    private static java.util.function.Consumer<Record> permission(CompiledRules c, Action action, RequestInfo req, Long expected) {
        return current -> {
            if (!Access.allows(c, action, Modifiers.forRules(c.def(), current.data(), req), current)) throw notFound();
            if (expected != null && current.version() != expected && !Visibility.canView(c, req, current)) {
                throw Visibility.hiddenConflict();
            }
        };
    }

    /** Parses a version number given by a client (body field or query parameter); null when absent. */
    public static Long version(Object raw, String field) {
        if (raw == null || "".equals(raw)) return null;
        if (raw instanceof Long l) return l;
        if (raw instanceof String s && s.matches("\\d{1,18}")) return Long.parseLong(s);
        throw ApiException.invalidField(field, "validation_invalid_version", "Must be a whole number.");
    }

    private static ApiException notFound() {
        return ApiException.notFound("The requested resource wasn't found.");
    }

    CompletableFuture<Written> writeOne(Prepared p) {
        return store.write(List.of(p.op())).thenApply(changes -> new Written(p, changes.get(0)));
    }

    /**
     * The collection to create a record in; a missing one is created (schemaless, seed rules) for an
     * authenticated caller when auto-collections are on, otherwise 404.
     */
    public CompletableFuture<CollectionDef> collectionForCreate(String name, RequestInfo req) {
        var existing = find(name);
        if (existing.isPresent()) return CompletableFuture.completedFuture(existing.get());
        if (!autoCollections || req.auth() == null || collections.find(name).isPresent()) {
            return CompletableFuture.failedFuture(ApiException.notFound("Missing collection context."));
        }
        return collections.autoCreate(name);
    }

    /** The failure a client should see: completion wrappers and {@link StoreException.Rejected} removed. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof StoreException.Rejected) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
