package dev.nanodb.store.postgres;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Sql;
import dev.nanodb.filter.SqlCompiler;
import dev.nanodb.filter.SqlSort;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.SortKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read path: records by id, filtered and sorted pages with exact totals, counts and the consistency check. */
final class PgReader {
    private PgReader() {}

    static Optional<Record> get(Connection c, CollectionDef def, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.COLUMNS + " FROM " + Tables.table(def.id()) + " WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(Rows.read(rs, 0)) : Optional.empty();
            }
        }
    }

    /** The ids of at most {@code limit} matching records, in one statement that reads no record's data. */
    static List<String> ids(Connection c, CollectionDef def, Expr filter, int limit) throws SQLException {
        Sql where = SqlCompiler.compile(filter, Tables.TARGET);
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + Tables.table(def.id()) + " WHERE " + where.text()
                + " LIMIT ?")) {
            int i = 1;
            for (Object v : where.params()) p.setObject(i++, v);
            p.setInt(i, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The records among {@code ids}, in one statement. */
    static java.util.Map<String, Record> getAll(Connection c, CollectionDef def, java.util.Collection<String> ids)
            throws SQLException {
        java.util.Map<String, Record> out = new java.util.HashMap<>();
        if (ids.isEmpty()) return out;
        try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.COLUMNS + " FROM " + Tables.table(def.id())
                + " WHERE id = ANY(?)")) {
            p.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Record r = Rows.read(rs, 0);
                    out.put(r.id(), r);
                }
            }
        }
        return out;
    }

    /**
     * Items and total of one page in one statement, hence one snapshot: the total always describes the same data
     * as the items. The count comes first and the page joins it laterally, so a page past the end still yields
     * one row carrying the total. Ties on every sort key are broken by id in the direction of the first key
     * (docs/API.md), which also makes pages of one query never overlap.
     */
    static Page query(Connection c, CollectionDef def, List<String> countedFields, Query q) throws SQLException {
        Sql where = SqlCompiler.compile(q.filter(), Tables.TARGET);
        StringBuilder order = new StringBuilder();
        List<Object> orderParams = new ArrayList<>();
        for (SortKey k : q.sort()) {
            if (k.call() == null) {
                order.append(k.random() ? "random()" : SqlSort.orderTerms(k.field(), k.descending(), Tables.TARGET)).append(", ");
                continue;
            }
            Sql terms = SqlSort.orderTerms(k.call(), k.descending(), Tables.TARGET);
            order.append(terms.text()).append(", ");
            orderParams.addAll(terms.params());
        }
        order.append(!q.sort().isEmpty() && q.sort().get(0).descending() ? "id DESC" : "id ASC");
        String table = Tables.table(def.id());
        String page = "SELECT " + Rows.COLUMNS + " FROM " + table + " WHERE " + where.text() + " ORDER BY " + order
                + " LIMIT ? OFFSET ?";
        List<Object> counted = new ArrayList<>();
        String total = q.skipTotal() ? null : Counts.totalSql(def, countedFields, q.filter(), counted);
        if (total == null && !q.skipTotal()) {
            total = "SELECT count(*) AS total FROM " + table + " WHERE " + where.text();
            counted.addAll(where.params());
        }
        String sql = total == null ? "SELECT -1::bigint, p.* FROM (" + page + ") p"
                : "SELECT n.total, p.* FROM (" + total + ") n LEFT JOIN LATERAL (" + page + ") p ON TRUE";
        List<Record> items = new ArrayList<>();
        long count = 0;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            for (Object v : counted) p.setObject(i++, v);
            i = bind(p, where, i);
            for (Object v : orderParams) p.setObject(i++, v);
            p.setInt(i, q.perPage());
            p.setLong(i + 1, q.offset());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    count = rs.getLong(1);
                    if (rs.getString(2) != null) items.add(Rows.read(rs, 1));
                }
            }
        }
        return Page.of(q, items, count);
    }

    static long count(Connection c, CollectionDef def, List<String> countedFields, Expr filter) throws SQLException {
        List<Object> params = new ArrayList<>();
        String counted = Counts.totalSql(def, countedFields, filter, params);
        if (counted == null) return count(c, Tables.table(def.id()), SqlCompiler.compile(filter, Tables.TARGET));
        try (PreparedStatement p = c.prepareStatement(counted)) {
            for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(Connection c, String table, Sql where) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + where.text())) {
            bind(p, where, 1);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int bind(PreparedStatement p, Sql sql, int from) throws SQLException {
        int i = from;
        for (Object v : sql.params()) p.setObject(i++, v);
        return i;
    }

    /**
     * Every row parses into a record stored under its own id, every declared index exists and is valid, and no
     * unique field holds a value twice. Rows are streamed (a cursor needs a transaction), so a large collection
     * is never held in memory; the connection goes back to the pool, which ends the transaction.
     */
    static ConsistencyReport check(Connection c, List<CollectionDef> defs) throws SQLException {
        long records = 0;
        long indexes = 0;
        List<String> problems = new ArrayList<>();
        c.setAutoCommit(false);
        for (CollectionDef def : defs) {
            String table = Tables.table(def.id());
            try (Statement s = c.createStatement()) {
                s.setFetchSize(500);
                ResultSet rs = s.executeQuery("SELECT " + Rows.COLUMNS + " FROM " + table);
                while (rs.next()) {
                    records++;
                    try {
                        Record r = Rows.read(rs, 0);
                        if (r.version() < 1) problems.add(def.name() + "/" + r.id() + ": version " + r.version());
                    } catch (RuntimeException e) {
                        problems.add(def.name() + "/" + rs.getString(1) + ": unreadable record");
                    }
                }
            }
            for (String column : List.of("created", "updated")) {
                indexes++;
                if (!validIndex(c, Tables.index(def.id(), "c", column))) problems.add(def.name() + "." + column + ": index missing or invalid");
            }
            for (FieldDef f : def.fields()) {
                if (!f.indexed()) continue;
                for (String kind : f.unique() ? List.of("j", "t", "s", "u") : List.of("j", "t", "s")) {
                    indexes++;
                    if (!validIndex(c, Tables.index(def.id(), kind, f.name()))) {
                        problems.add(def.name() + "." + f.name() + ": index " + kind + " missing or invalid");
                    }
                }
                if (f.unique()) duplicates(c, def, f, problems);
            }
            Counts.check(c, def, problems);
            for (FieldDef f : def.relationFields()) dangling(c, def, f, defs, problems);
        }
        return new ConsistencyReport(records, indexes, problems);
    }

    /** Names how many records of {@code def} hold, in relation {@code f}, an id that is no record of its target. */
    private static void dangling(Connection c, CollectionDef def, FieldDef f, List<CollectionDef> defs, List<String> problems)
            throws SQLException {
        boolean targetExists = defs.stream().anyMatch(d -> d.id().equals(f.target()));
        String ids = f.multiple() ? "jsonb_array_elements_text(CASE WHEN jsonb_typeof(" + Tables.json(f.name())
                + ") = 'array' THEN " + Tables.json(f.name()) + " ELSE '[]'::jsonb END)"
                : "(SELECT " + Tables.text(f.name()) + ")";
        String exists = targetExists ? "EXISTS (SELECT 1 FROM " + Tables.table(f.target()) + " t WHERE t.id = v.id)" : "false";
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Tables.table(def.id()) + " r, LATERAL " + ids
                     + " AS v(id) WHERE v.id IS NOT NULL AND v.id <> '' AND NOT " + exists)) {
            rs.next();
            if (rs.getLong(1) > 0) problems.add(def.name() + "." + f.name() + ": " + rs.getLong(1) + " ids point at no record");
        }
    }

    private static boolean validIndex(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT i.indisvalid FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = x.relnamespace WHERE x.relname = ? AND n.nspname = current_schema()")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void duplicates(Connection c, CollectionDef def, FieldDef f, List<String> problems) throws SQLException {
        String j = Tables.json(f.name());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + j + " FROM " + Tables.table(def.id())
                + " WHERE " + j + " IS NOT NULL AND " + j + " <> 'null'::jsonb AND " + j + " <> '\"\"'::jsonb"
                + " GROUP BY 1 HAVING count(*) > 1 LIMIT 10")) {
            while (rs.next()) problems.add(def.name() + "." + f.name() + ": duplicate unique value");
        }
    }

    /** The bytes of every table of the current schema, indexes and TOAST included. */
    static long schemaSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = current_schema() AND c.relkind = 'r'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
