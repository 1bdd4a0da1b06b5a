package dev.nanodb.store;

import java.util.List;

/** One page of a query's answer. With {@code skipTotal} the totals are -1. */
public record Page(int page, int perPage, long totalItems, long totalPages, List<Record> items) {
    public Page {
        items = List.copyOf(items);
    }

    public static Page of(Query q, List<Record> items, long total) {
        if (q.skipTotal()) return new Page(q.page(), q.perPage(), -1, -1, items);
        long pages = total == 0 ? 0 : (total + q.perPage() - 1) / q.perPage();
        return new Page(q.page(), q.perPage(), total, pages, items);
    }
}
