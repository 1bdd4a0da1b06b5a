package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.rules.Lookup;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.RelationGraph;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one owner of collection definitions: every create, update, delete and import of a collection goes through
 * here (an architecture test keeps everyone else from saving or deleting one in the store), so the invariants
 * hold whatever the entry point — the collections API, the rules file, a first write that auto-creates its
 * collection, the system collections at start-up:
 * <ul>
 *   <li>a definition is valid ({@link CollectionValidator}) and its name is unique;</li>
 *   <li>every relation points at a stored collection by id, and a collection another one references cannot be
 *       deleted (the relation graph, {@link RelationGraph});</li>
 *   <li>system collections keep their names and are never deleted;</li>
 *   <li>a change never breaks another collection's rule that follows a relation into it ({@link DependentRules});</li>
 *   <li>the facts a backend keeps about a definition ({@link CollectionDef#countedFields}) are derived here,
 *       from the definition, every time it is saved.</li>
 * </ul>
 * It also keeps each definition's compiled rules ({@link #rules}), once per stored definition and dropped with it.
 */
public final class CollectionService {
    private final Store store;
    private final ConcurrentHashMap<String, CompiledRules> compiled = new ConcurrentHashMap<>();
    /** How compiled rules reach related records, and other collections' rules from this same cache. */
    private final Lookup lookup;

    public CollectionService(Store store) {
        this.store = store;
        this.lookup = Lookup.of(store, this::rules);
    }

    public List<CollectionDef> list() {
        return store.collections();
    }

    /** A page of the collections in PocketBase's list shape, filtered and sorted in memory ({@link CollectionList}). */
    public Map<String, Object> list(CollectionList.Params params) {
        return CollectionList.page(store.collections(), params);
    }

    /** The default definitions of each type, as a create stores them ({@link Scaffolds}). */
    public Map<String, Object> scaffolds() {
        return Scaffolds.all();
    }

    /**
     * Deletes every record {@code nameOrId} holds now, in bounded batches of ordinary deletes ({@link Truncation});
     * blocking, for a worker thread.
     */
    public void truncate(String nameOrId) {
        Truncation.run(store, get(nameOrId), graph());
    }

    /**
     * Imports collections with PocketBase's semantics ({@link CollectionImport}): the whole import is validated
     * against the state it would produce, then applied in ONE store transaction — all of it or nothing.
     */
    public CompletableFuture<Void> importCollections(Map<String, Object> body) {
        CollectionImport.Plan plan = CollectionImport.plan(body, store.collections(), Times.now());
        return store.applyCollections(plan.saves(), plan.deletes()).thenRun(() -> plan.deletes().forEach(compiled::remove));
    }

    /** The collection with this name or id. */
    public Optional<CollectionDef> find(String nameOrId) {
        return store.collection(nameOrId);
    }

    /** The collection with this name or id, or the 404 of a missing one. */
    public CollectionDef get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> ApiException.notFound("The requested resource wasn't found."));
    }

    /**
     * The compiled rules of {@code def}, parsed once per stored definition: a definition is immutable and the
     * store hands out one instance until it changes, so an entry is reused only for that very instance.
     */
    public CompiledRules rules(CollectionDef def) {
        CompiledRules known = compiled.get(def.id());
        if (known != null && known.def() == def) return known;
        CompiledRules fresh = CompiledRules.compile(def, lookup);
        compiled.put(def.id(), fresh);
        return fresh;
    }

    /** Which relation fields point at which collection, as stored now. */
    public RelationGraph graph() {
        return RelationGraph.of(store.collections());
    }

    /** Creates a collection from a body in the collections API's shape. */
    public CompletableFuture<CollectionDef> create(Map<String, Object> body) {
        CollectionDef def = CollectionValidator.validate(body, null, Times.now(), this::other);
        if (store.collection(def.name()).isPresent()) throw nameTaken();
        return save(def);
    }

    /** Applies a body in the collections API's shape to the stored collection {@code nameOrId}. */
    public CompletableFuture<CollectionDef> update(String nameOrId, Map<String, Object> body) {
        CollectionDef existing = get(nameOrId);
        CollectionDef def = CollectionValidator.validate(body, existing, Times.now(), this::other);
        if (existing.system() && !def.name().equals(existing.name())) {
            throw ApiException.invalidField("name", "validation_system_collection", "System collections cannot be renamed.");
        }
        store.collection(def.name()).filter(other -> !other.id().equals(def.id())).ifPresent(other -> {
            throw nameTaken();
        });
        DependentRules.check(def, store.collections());
        return save(def);
    }

    /**
     * Deletes a collection with its records. Refused (400) for a system collection and for one that another
     * collection's relation field points at, naming that field: its stored ids would point nowhere; and for one
     * another collection's rule joins ({@code @collection.<name>}).
     */
    public CompletableFuture<Void> delete(String nameOrId) {
        CollectionDef existing = get(nameOrId);
        if (existing.system()) throw new ApiException(400, "System collections cannot be deleted.");
        List<String> by = new ArrayList<>();
        for (RelationGraph.Reference r : graph().into(existing.id())) {
            if (!r.source().id().equals(existing.id())) by.add(r.source().name() + "." + r.field().name());
        }
        if (!by.isEmpty()) {
            throw new ApiException(400, "The collection is referenced by the relation field " + String.join(", ", by)
                    + "; remove or change that field first.");
        }
        DependentRules.checkDelete(existing, store.collections());
        return store.deleteCollection(existing.id()).thenRun(() -> compiled.remove(existing.id()));
    }

    /**
     * The collection a first write to {@code name} creates (schemaless, the seed's rules); when a concurrent
     * write created it first, that one.
     */
    public CompletableFuture<CollectionDef> autoCreate(String name) {
        CollectionDef def = SystemCollections.autoCreated(name, Times.now());
        return save(def).exceptionallyCompose(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof StoreException.UniqueViolation) {
                return CompletableFuture.completedFuture(find(name).orElseThrow(() -> new CompletionException(cause)));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Creates the missing system collections and brings every stored definition's derived facts up to date (a
     * definition saved by an older version, or whose facts' derivation changed); waits until all is durable.
     */
    public void ensureSystem() {
        for (CollectionDef def : SystemCollections.all(Times.now())) {
            if (store.collection(def.name()).isEmpty()) save(def).join();
        }
        for (CollectionDef def : store.collections()) {
            CollectionDef current = withResolvedTargets(CountedFields.derive(withAuthFields(def)));
            if (current != def) store.saveCollection(current).join();
        }
    }

    /**
     * Validates {@code body} (only rules, from a rules file) against {@code name}'s stored definition, or a new
     * auto-created one when there is none; nothing is saved.
     */
    CollectionDef plan(String name, Map<String, Object> body) {
        CollectionDef existing = find(name).orElse(null);
        String now = Times.now();
        CollectionDef base = existing != null ? existing : SystemCollections.autoCreated(name, now);
        return CollectionValidator.validate(body, base, now, this::other);
    }

    /** Saves validated definitions one after the other, each durable before the next (the rules file). */
    void importAll(List<CollectionDef> defs) {
        for (CollectionDef def : defs) save(def).join();
    }

    private CompletableFuture<CollectionDef> save(CollectionDef def) {
        return store.saveCollection(CountedFields.derive(def));
    }

    private CollectionDef other(String idOrName) {
        return store.collection(idOrName).orElse(null);
    }

    /** An auth collection stored before one of its system fields existed, with that field added. */
    private static CollectionDef withAuthFields(CollectionDef def) {
        if (!def.isAuth()) return def;
        List<FieldDef> fields = AuthFields.complete(def.fields());
        return fields == def.fields() ? def : def.toBuilder().fields(fields).build();
    }

    /** Relation targets stored by name (definitions written before targets were ids) as ids. */
    private CollectionDef withResolvedTargets(CollectionDef def) {
        List<FieldDef> fields = new ArrayList<>();
        boolean changed = false;
        for (FieldDef f : def.fields()) {
            CollectionDef target = f.target() == null ? null : other(f.target());
            if (target != null && !target.id().equals(f.target())) {
                FieldDef.Relation r = f.relation();
                f = f.toBuilder().relation(new FieldDef.Relation(target.id(), r.minSelect(), r.cascadeDelete())).build();
                changed = true;
            }
            fields.add(f);
        }
        return changed ? def.toBuilder().fields(fields).build() : def;
    }

    private static ApiException nameTaken() {
        return ApiException.invalidField("name", "validation_collection_name_exists", "The name is already in use.");
    }
}
