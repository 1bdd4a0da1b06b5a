package dev.nanodb.store;

import java.util.List;

/** One page of a query's answer. With {@code skipTotal} the totals are -1. */
public record Page(int page, int perPage, long totalItems, long totalPages, List<Record> items) {
    public Page {
        items = List.copyOf(items);
    }

    /** A page with no items and zero totals (or -1 with {@code skipTotal}). */
    public static Page empty(int page, int perPage, boolean skipTotal) {
        return skipTotal ? new Page(page, perPage, -1, -1, List.of()) : new Page(page, perPage, 0, 0, List.of());
    }

    public static Page of(Query q, List<Record> items, long total) {
        if (q.skipTotal()) return new Page(q.page(), q.perPage(), -1, -1, items);
        long pages = total == 0 ? 0 : (total + q.perPage() - 1) / q.perPage();
        return new Page(q.page(), q.perPage(), total, pages, items);
    }
}
