package dev.nanodb.store.postgres;

import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.RelationActions;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies the operations of one {@code write} call inside the caller's SQL transaction, in order. Changes are
 * returned with {@code seq} 0: the store numbers them at commit. A failure that belongs to an operation becomes
 * a {@link StoreException} naming it; any other SQL failure is rethrown as it is, so the caller can tell a
 * deadlock (worth a retry) from a lost connection.
 */
final class PgWriter {
    private final PgCatalog catalog;

    PgWriter(PgCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The changes of one {@code write} call: {@code all} in the order they were made (each operation's own change,
     * then the changes relation integrity caused), and where each operation's own change is in it.
     */
    record Applied(List<Change> all, List<Integer> ownAt) {}

    Applied apply(Connection c, List<WriteOp> ops) throws SQLException {
        if (ops.size() > 1) lockInOrder(c, ops);
        List<Integer> ownAt = new ArrayList<>(ops.size());
        List<Change> all = new ArrayList<>(ops.size());
        PgRelations relations = new PgRelations(c, catalog);
        for (int i = 0; i < ops.size(); i++) {
            try {
                ownAt.add(all.size());
                apply(c, ops.get(i), relations, all);
            } catch (PgRelations.SqlFailure e) {
                throw e.getCause();
            } catch (StoreException e) {
                throw e.atOperation(i);
            } catch (SQLException e) {
                StoreException se = PgErrors.translate(e, catalog::fieldOfIndex);
                if (se instanceof StoreException.UniqueViolation || se instanceof StoreException.InvalidValue) {
                    throw se.atOperation(i);
                }
                throw e;
            }
        }
        return new Applied(all, ownAt);
    }

    /**
     * Locks every existing row that the batch replaces, updates or deletes, table by table and id by id in a
     * fixed order, before the first operation runs: two batches touching the same records in different orders
     * then queue behind each other instead of deadlocking.
     */
    private void lockInOrder(Connection c, List<WriteOp> ops) throws SQLException {
        Map<String, TreeSet<String>> ids = new TreeMap<>();
        for (WriteOp op : ops) {
            String id = switch (op) {
                case WriteOp.Create cr -> null;
                case WriteOp.Replace rp -> rp.record().id();
                case WriteOp.Update up -> up.id();
                case WriteOp.Delete del -> del.id();
            };
            if (id == null) continue;
            catalog.find(op.collection()).ifPresent(def ->
                    ids.computeIfAbsent(Tables.table(def.id()), t -> new TreeSet<>()).add(id));
        }
        for (Map.Entry<String, TreeSet<String>> e : ids.entrySet()) {
            if (e.getValue().size() < 2 && ids.size() < 2) continue;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM " + e.getKey() + " WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
                p.setArray(1, c.createArrayOf("text", e.getValue().toArray()));
                p.executeQuery().close();
            }
        }
    }

    private void apply(Connection c, WriteOp op, PgRelations relations, List<Change> out) throws SQLException {
        CollectionDef def = catalog.require(op.collection());
        String table = Tables.table(def.id());
        if (op instanceof WriteOp.Delete del) {
            Change own = delete(c, def, table, del);
            out.add(own);
            out.addAll(RelationActions.afterDelete(relations, relations.graph(), def, own.record()));
            return;
        }
        out.add(switch (op) {
            case WriteOp.Create cr -> {
                RelationActions.checkTargets(relations, def, null, cr.record());
                insert(c, table, cr.record());
                yield change(Change.Action.CREATE, def, cr.record());
            }
            case WriteOp.Replace rp -> {
                if (rp.record().data().keySet().stream().anyMatch(k -> def.field(k).map(f -> f.relation() != null).orElse(false))) {
                    RelationActions.checkTargets(relations, def, lock(c, table, rp.record().id()), rp.record());
                }
                if (!update(c, table, rp.record(), rp.expectedVersion())) {
                    Record stored = lock(c, table, rp.record().id());
                    throw new StoreException.VersionConflict(stored.version());
                }
                yield change(Change.Action.UPDATE, def, rp.record());
            }
            case WriteOp.Update up -> {
                Record stored = lock(c, table, up.id());
                up.permit(stored);
                if (up.expectedVersion() != null && up.expectedVersion() != stored.version()) {
                    throw new StoreException.VersionConflict(stored.version());
                }
                Record next;
                try {
                    next = up.change().apply(stored);
                } catch (RuntimeException e) {
                    throw new StoreException.Rejected(e);
                }
                if (next == null || !next.id().equals(stored.id()) || next.version() != stored.version() + 1) {
                    throw new StoreException.Rejected(
                            new IllegalStateException("an update must keep the id and add one to the version"));
                }
                RelationActions.checkTargets(relations, def, stored, next);
                update(c, table, next, stored.version());
                yield change(Change.Action.UPDATE, def, next);
            }
            case WriteOp.Delete del -> throw new IllegalStateException("deletes are applied above");
        });
    }

    private static Change delete(Connection c, CollectionDef def, String table, WriteOp.Delete del) throws SQLException {
        Record stored = lock(c, table, del.id());
        del.permit(stored);
        if (del.expectedVersion() != null && del.expectedVersion() != stored.version()) {
            throw new StoreException.VersionConflict(stored.version());
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            p.setString(1, del.id());
            p.executeUpdate();
        }
        return change(Change.Action.DELETE, def, stored);
    }

    static Change change(Change.Action action, CollectionDef def, Record r) {
        return new Change(0, action, def.id(), def.name(), r);
    }

    private static void insert(Connection c, String table, Record r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table
                + " (id, created, updated, version, data) VALUES (?, ?, ?, ?, ?::jsonb)")) {
            p.setString(1, r.id());
            p.setString(2, r.created());
            p.setString(3, r.updated());
            p.setLong(4, r.version());
            p.setString(5, Rows.encode(r.data()));
            p.executeUpdate();
        }
    }

    /** Stores {@code r} if the stored version is {@code expected}; false when no such row. */
    static boolean update(Connection c, String table, Record r, long expected) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + table
                + " SET created = ?, updated = ?, version = ?, data = ?::jsonb WHERE id = ? AND version = ?")) {
            p.setString(1, r.created());
            p.setString(2, r.updated());
            p.setLong(3, r.version());
            p.setString(4, Rows.encode(r.data()));
            p.setString(5, r.id());
            p.setLong(6, expected);
            return p.executeUpdate() == 1;
        }
    }

    /** The stored record, locked until the transaction ends; {@link StoreException.NotFound} when absent. */
    private static Record lock(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.COLUMNS + " FROM " + table + " WHERE id = ? FOR UPDATE")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new StoreException.NotFound("Record not found.");
                return Rows.read(rs, 0);
            }
        }
    }
}
