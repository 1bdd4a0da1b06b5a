package dev.nanodb.store.postgres;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.SqlCompiler;
import dev.nanodb.filter.SqlText;
import dev.nanodb.store.CollectionDef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Exact record counts per value of a collection's {@link CollectionDef#countedFields} (the fields its list rule
 * compares for equality, as the collections capability derives them), so that the total of a list whose whole filter is that equality (an owner rule and no user
 * filter: the most common list there is) costs one primary-key lookup instead of counting every matching row.
 *
 * <p>Invariant: for every collection table, counted field {@code f} and JSON value {@code v} (JSON null included,
 * an absent field never counted), {@code nanodb_counts(table, f, v).n} equals the number of committed rows whose
 * {@code data->f = v}. A row trigger keeps it in the writing transaction, so a count never runs ahead of or
 * behind the rows it describes and every write path, SQL by hand included, maintains it. Rows whose count fell to
 * 0 stay (a lookup reads them as 0). The consistency check recounts and compares.
 *
 * <p>Cost: a write changing a counted value updates one counts row per such field; writes with the same value
 * (one user's records) queue on that row's lock until commit, as they already queue on the change log's commit
 * lock.
 */
final class Counts {
    private static final String TRIGGER = "nanodb_counts_t";

    /** Migration 4: the counts table and the trigger function, bound to the migrated schema. */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE nanodb_counts (tbl text COLLATE \"C\", field text COLLATE \"C\", value jsonb,"
                    + " n bigint NOT NULL, PRIMARY KEY (tbl, field, value))",
            """
            CREATE FUNCTION nanodb_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            DECLARE f text; was jsonb; now_ jsonb;
            BEGIN
              FOREACH f IN ARRAY TG_ARGV LOOP
                was := NULL; now_ := NULL;
                IF TG_OP <> 'INSERT' THEN was := OLD.data -> f; END IF;
                IF TG_OP <> 'DELETE' THEN now_ := NEW.data -> f; END IF;
                CONTINUE WHEN was IS NOT DISTINCT FROM now_;
                IF was IS NOT NULL THEN
                  UPDATE nanodb_counts SET n = n - 1 WHERE tbl = TG_TABLE_NAME AND field = f AND value = was;
                END IF;
                IF now_ IS NOT NULL THEN
                  INSERT INTO nanodb_counts AS c VALUES (TG_TABLE_NAME, f, now_, 1)
                    ON CONFLICT (tbl, field, value) DO UPDATE SET n = c.n + 1;
                END IF;
              END LOOP;
              RETURN NULL;
            END $$""");

    private Counts() {}

    /**
     * Makes the trigger of {@code def}'s table count exactly its counted fields; when that set changed, the
     * counts are rebuilt from the rows in the same transaction.
     */
    static void sync(Connection c, CollectionDef def) throws SQLException {
        List<String> wanted = def.countedFields();
        String name = "c_" + def.id();
        if (wanted.equals(current(c, name))) return;
        String table = Tables.table(def.id());
        try (Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS " + TRIGGER + " ON " + table);
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM nanodb_counts WHERE tbl = ?")) {
            p.setString(1, name);
            p.executeUpdate();
        }
        if (wanted.isEmpty()) return;
        for (String f : wanted) Tables.json(f); // the names go into the trigger's SQL as literals: validated first
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER " + TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION nanodb_count('" + String.join("', '", wanted) + "')");
        }
        for (String f : wanted) {
            String j = Tables.json(f);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO nanodb_counts SELECT ?, ?, " + j + ", count(*) FROM "
                    + table + " WHERE " + j + " IS NOT NULL GROUP BY " + j)) {
                p.setString(1, name);
                p.setString(2, f);
                p.executeUpdate();
            }
        }
    }

    private static List<String> current(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT t.tgargs FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid"
                + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE r.relname = ? AND n.nspname = current_schema()"
                + " AND t.tgname = ?")) {
            p.setString(1, table);
            p.setString(2, TRIGGER);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return List.of();
                String args = new String(rs.getBytes(1), StandardCharsets.UTF_8);
                return args.isEmpty() ? List.of() : Arrays.asList(args.substring(0, args.length() - 1).split("\u0000"));
            }
        }
    }

    /**
     * The SQL of the total for {@code filter} from the counts of the {@code counted} fields (of
     * {@code def}, as the catalog keeps them), with its parameters appended to {@code params}; null when the filter is not one equality on a counted field
     * that means {@code data->f = value} ({@link SqlCompiler#jsonbEquality}).
     */
    static String totalSql(CollectionDef def, List<String> counted, Expr filter, List<Object> params) {
        if (!(filter instanceof Compare cmp) || cmp.op() != Op.EQ) return null;
        Field field;
        Literal literal;
        if (cmp.left() instanceof Field f && cmp.right() instanceof Literal l) {
            field = f;
            literal = l;
        } else if (cmp.left() instanceof Literal l && cmp.right() instanceof Field f) {
            field = f;
            literal = l;
        } else {
            return null;
        }
        Object v = literal.value();
        if (!SqlCompiler.jsonbEquality(v) || !counted.contains(field.path())) return null;
        String value = SqlText.jsonLiteral(v);
        params.addAll(List.of("c_" + def.id(), field.path(), value, value));
        // No counts row: the value was never counted, or this node's definition is older than a rule change that
        // stopped counting the field. Counting the rows (served by the field's index) stays exact either way.
        return "SELECT coalesce((SELECT n FROM nanodb_counts WHERE tbl = ? AND field = ? AND value = ?::jsonb),"
                + " (SELECT count(*) FROM " + Tables.table(def.id()) + " WHERE " + Tables.json(field.path()) + " = ?::jsonb)) AS total";
    }

    /** Recounts every counted field of {@code def} and names each value whose stored count differs. */
    static void check(Connection c, CollectionDef def, List<String> problems) throws SQLException {
        String name = "c_" + def.id();
        for (String f : def.countedFields()) {
            String j = Tables.json(f);
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM (SELECT " + j + " AS v, count(*) AS n FROM "
                    + Tables.table(def.id()) + " WHERE " + j + " IS NOT NULL GROUP BY 1) r FULL JOIN (SELECT value, n FROM"
                    + " nanodb_counts WHERE tbl = ? AND field = ? AND n <> 0) k ON k.value = r.v"
                    + " WHERE r.n IS DISTINCT FROM k.n")) {
                p.setString(1, name);
                p.setString(2, f);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) problems.add(def.name() + "." + f + ": " + rs.getLong(1) + " stored counts differ from the rows");
                }
            }
        }
        if (!def.countedFields().equals(current(c, name))) problems.add(def.name() + ": count trigger missing or stale");
    }
}
