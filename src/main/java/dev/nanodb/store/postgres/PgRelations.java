package dev.nanodb.store.postgres;

import dev.nanodb.filter.SqlText;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.RelationGraph;
import dev.nanodb.store.RelationTx;
import dev.nanodb.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RelationTx} inside a write's SQL transaction, where writers of several nodes run concurrently. Locks
 * make the check and the delete exclusive: a write that adds an id holds {@code FOR KEY SHARE} on the target
 * row until it commits, and a delete removes its row (taking the row's lock) before it looks for the records that
 * reference it, each of which it locks {@code FOR UPDATE}. So whichever comes second sees the first committed:
 * the delete finds the new reference, or the write finds the target gone — never a reference to a deleted record.
 */
final class PgRelations implements RelationTx {
    private final Connection c;
    private final PgCatalog catalog;
    private RelationGraph graph;

    PgRelations(Connection c, PgCatalog catalog) {
        this.c = c;
        this.catalog = catalog;
    }

    /** An {@link SQLException} crossing {@link RelationTx}'s methods; {@link PgWriter} rethrows its cause. */
    static final class SqlFailure extends RuntimeException {
        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    RelationGraph graph() {
        if (graph == null) graph = RelationGraph.of(catalog.all());
        return graph;
    }

    @Override
    public CollectionDef collectionById(String id) {
        return catalog.find(id).filter(d -> d.id().equals(id)).orElse(null);
    }

    @Override
    public boolean exists(CollectionDef def, String id) {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + Tables.table(def.id()) + " WHERE id = ? FOR KEY SHARE")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    @Override
    public List<Record> referencing(CollectionDef source, FieldDef field, String id, int limit) {
        String column = Tables.json(field.name());
        String match = field.multiple() ? column + " @> ?::jsonb" : column + " = ?::jsonb";
        try (PreparedStatement p = c.prepareStatement("SELECT " + Rows.COLUMNS + " FROM " + Tables.table(source.id())
                + " WHERE " + match + " ORDER BY id LIMIT ? FOR UPDATE")) {
            String one = SqlText.jsonLiteral(id);
            p.setString(1, field.multiple() ? "[" + one + "]" : one);
            p.setInt(2, limit);
            List<Record> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(Rows.read(rs, 0));
            }
            return out;
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    @Override
    public Change delete(CollectionDef def, Record r) {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + Tables.table(def.id()) + " WHERE id = ?")) {
            p.setString(1, r.id());
            p.executeUpdate();
            return PgWriter.change(Change.Action.DELETE, def, r);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    @Override
    public Change replace(CollectionDef def, Record old, Record next) {
        try {
            if (!PgWriter.update(c, Tables.table(def.id()), next, old.version())) {
                throw new StoreException.NotFound("Record not found.");
            }
            return PgWriter.change(Change.Action.UPDATE, def, next);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }
}
