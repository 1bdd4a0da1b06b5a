package dev.nanodb.store;

import dev.nanodb.filter.Expr;
import java.util.List;

/**
 * A list query. The filter is a complete AST: the caller has already ANDed any access rule into it and replaced
 * request references by literals, so the store answers exactly what the caller may see, with exact counts.
 *
 * @param filter    null = all records
 * @param sort      empty = the natural order (record id, which is time-ordered for generated ids)
 * @param page      1-based
 * @param skipTotal when true the totals are not computed and reported as -1
 */
public record Query(String collection, Expr filter, List<SortKey> sort, int page, int perPage, boolean skipTotal) {
    public Query {
        sort = List.copyOf(sort);
        if (page < 1) throw new IllegalArgumentException("page must be >= 1");
        if (perPage < 1) throw new IllegalArgumentException("perPage must be >= 1");
    }

    public Query withFilter(Expr newFilter) {
        return new Query(collection, newFilter, sort, page, perPage, skipTotal);
    }

    public long offset() {
        return (long) (page - 1) * perPage;
    }
}
