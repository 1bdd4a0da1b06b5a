package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.files.Upload;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Ids;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Creates and updates that carry files. Order, which is the durability rule of {@code files}: the uploads are checked
 * and stored under fresh names first; the record naming them is written next; a write that fails or is refused
 * removes what it stored; an update that commits removes the files its record no longer names — only then.
 *
 * <p>How parts become values (PocketBase's): a part named like a file field sets it (a single field takes the last
 * file; a multiple one the names given in the body for it, then the uploads — on create simply the uploads);
 * {@code field+} appends and {@code +field} prepends to what the record has.
 */
final class RecordFiles {
    private RecordFiles() {}

    static boolean hasFileFields(CollectionDef c) {
        return c.fields().stream().anyMatch(f -> f.type() == FieldType.FILE);
    }

    static CompletableFuture<RecordService.Written> create(RecordService records, CollectionDef c, Map<String, Object> body,
                                                           RequestInfo req, List<Upload> uploads) {
        Access.checkUnlocked(records.rules(c), Action.CREATE, req);
        String id = body.get("id") instanceof String s && Ids.valid(s) && req.superuser() ? s : Ids.newId();
        return write(records, c, id, uploads, staged -> records.prepareCreate(c, withNames(c, body, staged, true), req, id,
                names(staged)), null);
    }

    static CompletableFuture<RecordService.Written> update(RecordService records, CollectionDef c, String id,
                                                           Map<String, Object> body, RequestInfo req, List<Upload> uploads) {
        Access.checkUnlocked(records.rules(c), Action.UPDATE, req);
        if (!Ids.valid(id)) throw ApiException.notFound("The requested resource wasn't found.");
        AtomicReference<List<String>> before = new AtomicReference<>(List.of());
        return write(records, c, id, uploads, staged -> records.prepareUpdate(c, id, withNames(c, body, staged, false), req,
                names(staged), before), before);
    }

    /**
     * Stages the uploads, prepares and writes the record, then settles the files: a write that certainly failed
     * removes what it staged; a committed update removes the files the record named {@code before} and no longer does.
     */
    private static CompletableFuture<RecordService.Written> write(RecordService records, CollectionDef c, String id,
            List<Upload> uploads, Function<FileService.Staged, CompletableFuture<RecordService.Prepared>> prepare,
            AtomicReference<List<String>> before) {
        FileService files = records.files();
        return files.stage(c, id, uploads).thenCompose(staged -> {
            CompletableFuture<RecordService.Written> written;
            try {
                written = prepare.apply(staged).thenCompose(records::writeOne);
            } catch (RuntimeException e) {
                written = CompletableFuture.failedFuture(e);
            }
            return written.whenComplete((w, t) -> {
                if (t != null) {
                    if (certainlyNotWritten(t)) files.discard(staged);
                } else if (before != null) {
                    Set<String> kept = new HashSet<>(FileService.names(c, w.change().record().data()));
                    files.removeAfterCommit(c, id, before.get().stream().filter(n -> !kept.contains(n)).toList());
                }
            });
        });
    }

    /**
     * Whether a failed write certainly did not commit (refused before or inside its transaction), so that its files
     * may go. A failure whose outcome is unknown — a connection lost during a PostgreSQL commit — keeps them: a record
     * that did commit then still has its files, and one that did not leaves files no record names (for the sweep).
     */
    private static boolean certainlyNotWritten(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ApiException || cause instanceof dev.nanodb.store.StoreException
                && !(cause instanceof dev.nanodb.store.StoreException.Unavailable);
    }

    /** {@code body} with the stored names of the uploads under the keys their parts name. */
    private static Map<String, Object> withNames(CollectionDef c, Map<String, Object> body, FileService.Staged staged,
                                                 boolean create) {
        if (staged.names().isEmpty()) return body;
        Map<String, Object> out = new LinkedHashMap<>(body);
        for (Map.Entry<String, List<String>> e : staged.names().entrySet()) {
            String part = e.getKey();
            List<String> added = e.getValue();
            String field = Upload.fieldOf(part);
            FieldDef f = c.field(field).orElseThrow();
            boolean modifier = part.startsWith("+") != part.endsWith("+");
            if (!f.multiple()) {
                out.remove(part);
                out.put(field, added.get(added.size() - 1));
            } else if (create || !modifier) {
                List<Object> value = new ArrayList<>();
                if (!create && body.get(field) instanceof List<?> given) value.addAll(given);
                if (!create && body.get(field) instanceof String s && !s.isEmpty()) value.add(s);
                value.addAll(added);
                out.remove(part);
                out.put(field, value);
            } else {
                out.put(part, added);
            }
        }
        return out;
    }

    private static Set<String> names(FileService.Staged staged) {
        Set<String> out = new HashSet<>();
        staged.names().values().forEach(out::addAll);
        return out;
    }
}
