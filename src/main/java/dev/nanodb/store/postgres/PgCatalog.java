package dev.nanodb.store.postgres;

import dev.nanodb.filter.SqlCompiler;
import dev.nanodb.filter.SqlSort;
import dev.nanodb.json.Json;
import dev.nanodb.store.CollectionCodec;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.IndexDef;
import dev.nanodb.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Collection definitions: the {@code nanodb_collections} rows, their tables and indexes, and an in-memory copy
 * for the read path. The copy follows the change log: every node's saves and deletes, this node's included, are
 * installed when their log row is delivered ({@code PgFeed}), so all nodes apply definition changes in one order.
 * A miss still re-reads the table, for a collection whose row this node has not delivered yet.
 */
final class PgCatalog {
    private final DataSource db;
    private final Map<String, CollectionDef> byId = new ConcurrentHashMap<>();
    /** {@link CollectionDef#countedFields} of each installed definition. */
    private final Map<String, List<String>> countedById = new ConcurrentHashMap<>();
    private final Map<String, CollectionDef> byName = new ConcurrentHashMap<>();

    PgCatalog(DataSource db) {
        this.db = db;
    }

    void load(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT definition FROM nanodb_collections")) {
            while (rs.next()) install(decode(rs.getString(1)));
        }
    }

    List<CollectionDef> all() {
        return new ArrayList<>(byId.values());
    }

    /** By name, else by id; re-reads the database on a miss. */
    Optional<CollectionDef> find(String nameOrId) {
        CollectionDef d = byName.get(nameOrId);
        if (d == null) d = byId.get(nameOrId);
        if (d != null) return Optional.of(d);
        try (Connection c = db.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT definition FROM nanodb_collections WHERE name = ? OR id = ?")) {
            p.setString(1, nameOrId);
            p.setString(2, nameOrId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                d = decode(rs.getString(1));
            }
        } catch (SQLException e) {
            throw PgErrors.translate(e, this::fieldOfIndex);
        }
        install(d);
        return Optional.of(d);
    }

    CollectionDef require(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new StoreException.NotFound("Collection not found: " + nameOrId));
    }

    synchronized void install(CollectionDef def) {
        countedById.put(def.id(), def.countedFields());
        CollectionDef old = byId.put(def.id(), def);
        if (old != null && !old.name().equals(def.name())) byName.remove(old.name(), old);
        byName.put(def.name(), def);
    }

    synchronized void uninstall(String id) {
        CollectionDef old = byId.remove(id);
        countedById.remove(id);
        if (old != null) byName.remove(old.name(), old);
    }

    /** The fields whose per-value counts serve totals in the collection {@code id} (none when unknown). */
    List<String> counted(String id) {
        return countedById.getOrDefault(id, List.of());
    }

    /** The field one of our indexes serves, or null (a primary key, the collection name, an unknown index). */
    String fieldOfIndex(String indexName) {
        if (indexName == null) return null;
        if (indexName.equals("nanodb_collections_name_key")) return "name";
        for (CollectionDef d : byId.values()) {
            String f = fieldOfIndex(d, indexName);
            if (f != null) return f;
        }
        return null;
    }

    /** The field a violation of the index is reported on: its field, or a composite index's first column. */
    static String fieldOfIndex(CollectionDef d, String indexName) {
        for (FieldDef f : d.fields()) {
            for (String kind : List.of("j", "t", "s", "u")) {
                if (Tables.index(d.id(), kind, f.name()).equals(indexName)) return f.name();
            }
        }
        for (IndexDef ix : d.backendIndexes()) {
            if (Tables.index(d.id(), "q", String.join(",", ix.fields())).equals(indexName)) return ix.fields().get(0);
        }
        return null;
    }

    /**
     * Deletes {@code deletes}, then saves {@code saves}, inside the caller's transaction (the name's unique constraint
     * sees the deletes first, so a saved collection may take a deleted one's name).
     */
    void apply(Connection c, List<CollectionDef> saves, List<String> deletes) throws SQLException {
        for (CollectionDef def : saves) {
            if (deletes.contains(def.id())) throw new StoreException.InvalidValue("id", "validation_conflict", "Deleted and saved.");
        }
        for (String id : deletes) delete(c, id);
        for (CollectionDef def : saves) save(c, def);
    }

    /**
     * Creates or updates a definition inside the caller's transaction: the row, the table, the values of removed
     * fields and the indexes. The caller commits; the change log then {@link #install}s it on every node.
     */
    void save(Connection c, CollectionDef def) throws SQLException {
        String table = Tables.table(def.id());
        CollectionDef old = null;
        try (PreparedStatement p = c.prepareStatement("SELECT definition FROM nanodb_collections WHERE id = ? FOR UPDATE")) {
            p.setString(1, def.id());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) old = decode(rs.getString(1));
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM nanodb_collections WHERE name = ? AND id <> ?")) {
            p.setString(1, def.name());
            p.setString(2, def.id());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) throw new StoreException.UniqueViolation("name");
            }
        }
        String definition = new String(Json.write(CollectionCodec.toMap(def)), StandardCharsets.UTF_8);
        try (Statement s = c.createStatement()) {
            if (old == null) {
                s.execute("CREATE TABLE " + table + " (id text COLLATE \"C\" PRIMARY KEY, created text COLLATE \"C\","
                        + " updated text COLLATE \"C\", version bigint NOT NULL, data jsonb NOT NULL)");
            }
        }
        try (PreparedStatement p = c.prepareStatement(old == null
                ? "INSERT INTO nanodb_collections (name, definition, id) VALUES (?, ?, ?)"
                : "UPDATE nanodb_collections SET name = ?, definition = ? WHERE id = ?")) {
            p.setString(1, def.name());
            p.setString(2, definition);
            p.setString(3, def.id());
            p.executeUpdate();
        }
        if (old != null) removeValues(c, table, old, def);
        try {
            syncIndexes(c, def);
        } catch (SQLException e) {
            StoreException se = PgErrors.translate(e, index -> fieldOfIndex(def, index));
            if (se instanceof StoreException.UniqueViolation || se instanceof StoreException.InvalidValue) throw se;
            throw e;
        }
    }

    private static void removeValues(Connection c, String table, CollectionDef old, CollectionDef def) throws SQLException {
        List<String> removed = new ArrayList<>();
        for (FieldDef f : old.fields()) {
            if (def.field(f.name()).isEmpty()) removed.add(f.name());
        }
        if (removed.isEmpty()) return;
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE " + table + " SET data = data - ?::text[] WHERE jsonb_exists_any(data, ?::text[])")) {
            var names = c.createArrayOf("text", removed.toArray());
            p.setArray(1, names);
            p.setArray(2, names);
            p.executeUpdate();
        }
    }

    /**
     * Brings every collection's indexes to what this version declares (migration 4 added the sort indexes, those on
     * {@code created} and {@code updated} and the {@link Counts}); runs under the migration lock.
     */
    static void syncAllIndexes(Connection c) throws SQLException {
        List<CollectionDef> defs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT definition FROM nanodb_collections")) {
            while (rs.next()) defs.add(decode(rs.getString(1)));
        }
        for (CollectionDef def : defs) syncIndexes(c, def);
    }

    /**
     * Our indexes of a collection: for each indexed field its jsonb value (equality, number ranges), its text
     * ({@code "C"} string comparisons), its {@link SqlCompiler#sortKey} (sorting) and, when unique, a partial unique
     * index; and {@code created} and {@code updated}, the usual sort keys of a list.
     */
    private static void syncIndexes(Connection c, CollectionDef def) throws SQLException {
        String table = Tables.table(def.id());
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String column : List.of("created", "updated")) {
            wanted.put(Tables.index(def.id(), "c", column), "CREATE INDEX %s ON " + table + " (" + column + ")");
        }
        for (FieldDef f : def.fields()) {
            if (!f.indexed()) continue;
            String j = Tables.json(f.name());
            wanted.put(Tables.index(def.id(), "j", f.name()), "CREATE INDEX %s ON " + table + " ((" + j + "))");
            wanted.put(Tables.index(def.id(), "t", f.name()),
                    "CREATE INDEX %s ON " + table + " (((" + Tables.text(f.name()) + ")) COLLATE \"C\")");
            wanted.put(Tables.index(def.id(), "s", f.name()), "CREATE INDEX %s ON " + table + " ("
                    + String.join(", ", SqlSort.sortKey(f.name(), Tables.TARGET)) + ")");
            if (f.unique()) {
                wanted.put(Tables.index(def.id(), "u", f.name()), "CREATE UNIQUE INDEX %s ON " + table + " ((" + j
                        + ")) WHERE " + j + " IS NOT NULL AND " + j + " <> 'null'::jsonb AND " + j + " <> '\"\"'::jsonb");
            }
        }
        for (IndexDef ix : def.backendIndexes()) {
            if (ix.composite()) wanted.put(Tables.index(def.id(), ix.unique() ? "q" : "k", String.join(",", ix.fields())),
                    composite(table, ix));
        }
        Set<String> existing = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? AND indexname LIKE 'nx\\_%'")) {
            p.setString(1, "c_" + def.id());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) existing.add(rs.getString(1));
            }
        }
        boolean created = false;
        try (Statement s = c.createStatement()) {
            for (String name : existing) {
                if (!wanted.containsKey(name)) s.execute("DROP INDEX \"" + name + "\"");
            }
            for (Map.Entry<String, String> w : wanted.entrySet()) {
                if (existing.contains(w.getKey())) continue;
                s.execute(String.format(w.getValue(), "\"" + w.getKey() + "\""));
                created = true;
            }
            // The planner knows an expression's values only from ANALYZE: without it, "owner = ?" on a loaded table
            // looks selective and a sorted page is sorted in full instead of walking the sort index. So analyse
            // when an index is new, and let autovacuum re-analyse after 2 % of the rows changed (default: 10 %).
            if (created) {
                s.execute("ALTER TABLE " + table + " SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 200,"
                        + " autovacuum_vacuum_insert_scale_factor = 0.05)");
                s.execute("ANALYZE " + table);
            }
        }
        Counts.sync(c, def);
    }

    /**
     * A composite index, its columns as the filter compiler spells them ({@link Tables#TARGET}) so that equalities on
     * its leading columns are served by it: each user field's jsonb value, {@code created}/{@code updated} as text.
     * A plain one ends with the last column's sort terms and {@code id} (the order of a list sorted by that column,
     * ties by id, walked either way); a unique one holds the values alone and only tuples with no empty value.
     */
    private static String composite(String table, IndexDef ix) {
        List<String> columns = new ArrayList<>();
        List<String> filled = new ArrayList<>();
        List<String> fields = ix.fields();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            String column = Tables.TARGET.textColumn(f);
            boolean last = i == fields.size() - 1;
            if (column != null) {
                columns.add(column);
                filled.add(column + " <> ''");
            } else if (last && !ix.unique()) {
                columns.addAll(SqlSort.sortKey(f, Tables.TARGET));
            } else {
                String j = Tables.json(f);
                columns.add("(" + j + ")");
                filled.add(j + " IS NOT NULL AND " + j + " <> 'null'::jsonb AND " + j + " <> '\"\"'::jsonb");
            }
        }
        if (!ix.unique()) return "CREATE INDEX %s ON " + table + " (" + String.join(", ", columns) + ", id)";
        return "CREATE UNIQUE INDEX %s ON " + table + " (" + String.join(", ", columns) + ") WHERE "
                + String.join(" AND ", filled);
    }

    /** Deletes the row and the table inside the caller's transaction. */
    void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM nanodb_collections WHERE id = ?")) {
            p.setString(1, id);
            if (p.executeUpdate() == 0) throw new StoreException.NotFound("Collection not found: " + id);
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + Tables.table(id));
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM nanodb_counts WHERE tbl = ?")) {
            p.setString(1, "c_" + id);
            p.executeUpdate();
        }
    }

    private static CollectionDef decode(String definition) {
        return CollectionCodec.fromMap(Json.parseStored(definition.getBytes(StandardCharsets.UTF_8)));
    }
}
