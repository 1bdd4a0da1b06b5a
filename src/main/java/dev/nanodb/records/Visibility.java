package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.store.Record;
import java.util.Map;

/**
 * What a write may show its caller about the record it wrote. An answer holds fields the caller never sent
 * (defaults and system fields; on update, every stored field), so a create, update or upsert answers with the
 * record only when the caller may view it under the view rule, exactly as a {@code GET} right after the write
 * would judge it; a caller who may write but not view gets the write done and no record data. The same line
 * holds for a version conflict: the stored version is named only to a caller who may view the record.
 *
 * <p>A new record of an auth collection is judged as the new account sees itself: whoever creates an account
 * chose its password and could sign in and view it anyway. This keeps sign-up answering the new record, which
 * PocketBase's SDK and its apps expect.
 */
final class Visibility {
    private Visibility() {}

    /** Whether {@code req}'s caller may view {@code r} with a plain {@code GET}; a locked view rule means no. */
    static boolean canView(CompiledRules c, RequestInfo req, Record r) {
        return Access.admits(c, Action.VIEW, viewer(req.auth(), req), r);
    }

    /** Whether the caller who created {@code r} may see it in the answer (see the class documentation). */
    static boolean canViewCreated(CompiledRules c, RequestInfo req, Record created) {
        if (req.superuser() || !c.def().isAuth()) return canView(c, req, created);
        return Access.admits(c, Action.VIEW, viewer(new Identity(c.def(), created), req), created);
    }

    /** The 409 for a stale version of a record the caller may change but not view: no version in it. */
    static ApiException hiddenConflict() {
        return new ApiException(409, "The record was changed by someone else.",
                Map.of("_version", ApiException.fieldError("version_conflict", "The record has a newer version.")));
    }

    private static RequestInfo viewer(Identity who, RequestInfo req) {
        return new RequestInfo(who, "GET", req.query(), Map.of());
    }
}
