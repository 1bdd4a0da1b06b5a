package dev.nanodb.store.postgres;

import dev.nanodb.store.StoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The one place where SQL failures become {@link StoreException}s, by SQLState. */
final class PgErrors {
    private static final Pattern INDEX_IN_MESSAGE = Pattern.compile("index \"([^\"]+)\"");

    private PgErrors() {}

    /**
     * @param indexField the field an index of ours serves (by index name), or null for any other constraint —
     *                   a primary key or the collection name
     */
    static StoreException translate(Throwable t, Function<String, String> indexField) {
        if (t instanceof StoreException se) return se;
        if (t instanceof SQLTransientConnectionException) {
            return new StoreException.Unavailable("The database is not reachable right now; retry later.", t);
        }
        String state = t instanceof SQLException e ? e.getSQLState() : null;
        if (state == null) return new StoreException.Unavailable("Unexpected storage failure.", t);
        if (state.equals("23505")) {
            String field = indexField.apply(constraint(t));
            return new StoreException.UniqueViolation(field != null ? field : "id");
        }
        if (state.equals("54000")) {
            String field = indexField.apply(constraint(t));
            return new StoreException.InvalidValue(field != null ? field : "data", "The value is too long to be indexed.");
        }
        if (state.equals("22P05") || state.equals("22021")) {
            return new StoreException.InvalidValue("data", "The value contains characters that cannot be stored.");
        }
        if (state.equals("42P01")) return new StoreException.NotFound("Collection not found.");
        if (state.equals("53100")) return new StoreException.StorageFull(t);
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("40001")
                || state.equals("40P01")) {
            return new StoreException.Unavailable("The database is not available right now; retry later.", t);
        }
        return new StoreException.Unavailable("The storage could not complete the operation.", t);
    }

    private static String constraint(Throwable t) {
        if (!(t instanceof PSQLException p)) return null;
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m == null) return null;
        if (m.getConstraint() != null) return m.getConstraint();
        Matcher matcher = INDEX_IN_MESSAGE.matcher(String.valueOf(m.getMessage()));
        return matcher.find() ? matcher.group(1) : null;
    }
}
