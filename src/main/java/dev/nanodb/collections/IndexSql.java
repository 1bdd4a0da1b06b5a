package dev.nanodb.collections;

import dev.nanodb.store.IndexDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PocketBase's index form, {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON coll (a, b DESC) [WHERE …]}, read
 * into an {@link IndexDef} and written back. Only what NanoDB can honour is read: plain column names (quoted with
 * back-ticks, double quotes or brackets, or bare), each optionally {@code ASC}/{@code DESC}; a {@code WHERE} clause
 * only when it says that the columns are not empty ({@code `email` != ''}, joined by {@code AND}) — which is what
 * NanoDB's uniqueness already assumes. Expressions, {@code COLLATE} and other conditions are refused with a reason:
 * an index that silently meant something else would be worse than none.
 */
final class IndexSql {
    private static final Pattern CREATE = Pattern.compile(
            "\\s*create\\s+(unique\\s+)?index\\s+(if\\s+not\\s+exists\\s+)?(\\S+)\\s+on\\s+([^\\s(]+)\\s*\\((.*)\\)"
                    + "(?:\\s*where\\s+(.*?))?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("(\\S+?)(?:\\s+(asc|desc))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    private static final Pattern NOT_EMPTY = Pattern.compile("(\\S+)\\s*(?:!=|<>)\\s*''", Pattern.CASE_INSENSITIVE);

    private IndexSql() {}

    /** What a statement says, before its columns are checked against the collection. */
    record Parsed(IndexDef index, String table, List<String> nonEmpty) {}

    /** Why a statement cannot be read. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static Parsed parse(String sql) throws Invalid {
        Matcher m = CREATE.matcher(sql);
        if (!m.matches()) throw new Invalid("Must be CREATE [UNIQUE] INDEX name ON collection (column, …).");
        String name = identifier(m.group(3), "index name");
        String table = identifier(m.group(4), "collection name");
        List<IndexDef.Column> columns = new ArrayList<>();
        for (String part : m.group(5).split(",", -1)) {
            Matcher c = COLUMN.matcher(part.strip());
            if (!c.matches()) {
                throw new Invalid("Each column must be a field name, optionally followed by ASC or DESC"
                        + " (expressions and COLLATE are not supported).");
            }
            columns.add(new IndexDef.Column(identifier(c.group(1), "column"),
                    c.group(2) != null && c.group(2).toLowerCase(Locale.ROOT).equals("desc")));
        }
        if (columns.size() > IndexDef.MAX_COLUMNS) throw new Invalid("At most " + IndexDef.MAX_COLUMNS + " columns.");
        return new Parsed(new IndexDef(name, m.group(1) != null, columns), table, nonEmpty(m.group(6)));
    }

    /** The columns a {@code WHERE} clause requires to be non-empty; refuses every other condition. */
    private static List<String> nonEmpty(String where) throws Invalid {
        if (where == null || where.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String part : where.strip().split("(?i)\\s+and\\s+")) {
            Matcher c = NOT_EMPTY.matcher(part.strip());
            if (!c.matches()) {
                throw new Invalid("Only WHERE conditions of the form `column` != '' are supported"
                        + " (NanoDB never counts an empty value in a unique index).");
            }
            out.add(identifier(c.group(1), "column"));
        }
        return out;
    }

    private static String identifier(String raw, String what) throws Invalid {
        String s = raw.strip();
        if (s.length() >= 2 && (s.startsWith("`") && s.endsWith("`") || s.startsWith("\"") && s.endsWith("\"")
                || s.startsWith("[") && s.endsWith("]") || s.startsWith("'") && s.endsWith("'"))) {
            s = s.substring(1, s.length() - 1);
        }
        if (!IDENTIFIER.matcher(s).matches()) {
            throw new Invalid("Invalid " + what + ": " + abbreviate(raw) + (what.equals("column")
                    ? " (a column is a field name; expressions are not supported)." : "."));
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The statement PocketBase would write for {@code ix} on the collection named {@code table}. */
    static String build(IndexDef ix, String table) {
        StringBuilder b = new StringBuilder("CREATE ");
        if (ix.unique()) b.append("UNIQUE ");
        b.append("INDEX `").append(ix.name()).append("` ON `").append(table).append("` (");
        List<String> columns = new ArrayList<>();
        for (IndexDef.Column c : ix.columns()) columns.add("`" + c.field() + "`" + (c.descending() ? " DESC" : ""));
        b.append(String.join(", ", columns)).append(')');
        return b.toString();
    }
}
