package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a write may do to a file field: name only files the record already has — keep them, reorder them, remove
 * some ({@code field-} included) or clear the field — and the files this write uploaded. A new file arrives only as
 * an upload, never as a name,
 * so a client cannot point a record at a file it did not upload (another record's, or one never stored).
 */
final class FileValues {
    private FileValues() {}

    /** A create names only the files it uploaded. */
    static void checkCreate(CollectionDef c, Map<String, Object> data, Set<String> uploaded) {
        check(c, Map.of(), data, uploaded);
    }

    /** An update keeps, at most, the files the stored record has, and adds the ones it uploaded. */
    static void checkUpdate(CollectionDef c, Map<String, Object> stored, Map<String, Object> data, Set<String> uploaded) {
        check(c, stored, data, uploaded);
    }

    private static void check(CollectionDef c, Map<String, Object> stored, Map<String, Object> data, Set<String> uploaded) {
        Map<String, Object> errors = new LinkedHashMap<>();
        for (FieldDef f : c.fields()) {
            if (f.type() != FieldType.FILE) continue;
            Set<String> had = new HashSet<>(FileService.namesIn(stored.get(f.name())));
            for (String n : FileService.namesIn(data.get(f.name()))) {
                if (!had.contains(n) && !uploaded.contains(n)) {
                    errors.put(f.name(), ApiException.fieldError("validation_invalid_file", "Invalid new files: " + n
                            + " (the record has no such file; new files are uploaded as multipart/form-data, not named)."));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) throw new ApiException(400, "Failed to validate the record.", errors);
    }
}
