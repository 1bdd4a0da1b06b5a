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
import java.util.concurrent.CompletionException;
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

    /** Stores the uploads of a create, then prepares the create naming them. */
    static CompletableFuture<StagedWrite> stageCreate(RecordService records, CollectionDef c, Map<String, Object> body,
                                                      RequestInfo req, List<Upload> uploads) {
        Access.checkUnlocked(records.rules(c), Action.CREATE, req);
        String id = body.get("id") instanceof String s && Ids.valid(s) && req.superuser() ? s : Ids.newId();
        return stage(records, c, id, uploads, staged -> records.prepareCreate(c, withNames(c, body, staged, true), req, id,
                names(staged)), null);
    }

    /** Stores the uploads of an update, then prepares the update naming them (and noting the names it replaces). */
    static CompletableFuture<StagedWrite> stageUpdate(RecordService records, CollectionDef c, String id,
                                                      Map<String, Object> body, RequestInfo req, List<Upload> uploads) {
        Access.checkUnlocked(records.rules(c), Action.UPDATE, req);
        if (!Ids.valid(id)) throw ApiException.notFound("The requested resource wasn't found.");
        AtomicReference<List<String>> before = new AtomicReference<>(List.of());
        return stage(records, c, id, uploads, staged -> records.prepareUpdate(c, id, withNames(c, body, staged, false), req,
                names(staged), before), before);
    }

    /** Writes a staged write on its own and settles its files with the outcome. */
    static CompletableFuture<RecordService.Written> write(RecordService records, CompletableFuture<StagedWrite> staging) {
        return staging.thenCompose(w -> records.writeOne(w.prepared()).whenComplete((written, t) -> {
            if (t != null) w.failed(t);
            else w.committed(written.change());
        }));
    }

    /** Stores the uploads, then prepares; a preparation that fails removes what was stored. */
    private static CompletableFuture<StagedWrite> stage(RecordService records, CollectionDef c, String id, List<Upload> uploads,
            Function<FileService.Staged, CompletableFuture<RecordService.Prepared>> prepare,
            AtomicReference<List<String>> before) {
        FileService files = records.files();
        return files.stage(c, id, uploads).thenCompose(staged -> {
            CompletableFuture<RecordService.Prepared> prepared;
            try {
                prepared = prepare.apply(staged);
            } catch (RuntimeException e) {
                prepared = CompletableFuture.failedFuture(e);
            }
            return prepared.handle((p, t) -> {
                if (t == null) return new StagedWrite(p, files, id, staged, before);
                files.discard(staged); // nothing was written: the preparation failed before any write
                throw t instanceof CompletionException ce ? ce : new CompletionException(t);
            });
        });
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
