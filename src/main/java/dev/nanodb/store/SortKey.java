package dev.nanodb.store;

import dev.nanodb.filter.Call;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Printer;
import dev.nanodb.filter.Resolver;

/**
 * One sort term: a field path and a direction, or a function's value ({@code sort=geoDistance(…)}). The reserved
 * field {@link #RANDOM} orders the matching records randomly (a fresh order for every query; its direction means
 * nothing): each backend draws one random key per record for the query, so a page is a random sample of every
 * match, and ties still fall back to id.
 *
 * @param field the field path; for a function, its printed text (never an indexed field's name, so no index is
 *              taken for it)
 * @param call  the function whose value orders the records, or null for a field
 */
public record SortKey(String field, boolean descending, Call call) {
    /** PocketBase's {@code @random}. */
    public static final String RANDOM = "@random";

    public SortKey(String field, boolean descending) {
        this(field, descending, null);
    }

    /** A sort on a function's value. */
    public static SortKey of(Call call, boolean descending) {
        return new SortKey(Printer.print(call), descending, call);
    }

    public boolean random() {
        return call == null && RANDOM.equals(field);
    }

    /** The value this term orders a record by. */
    public Object value(Resolver record) {
        return call == null ? record.resolve(field) : Evaluator.value(call, record, null);
    }
}
