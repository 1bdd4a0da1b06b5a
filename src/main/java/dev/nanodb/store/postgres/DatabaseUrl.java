package dev.nanodb.store.postgres;

import java.net.URLDecoder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PostgreSQL address as given in {@code DATABASE_URL}: either the common
 * {@code postgres://user:password@host:port/database?options} form (also {@code postgresql://}) or a JDBC URL
 * {@code jdbc:postgresql://…} passed through unchanged.
 *
 * @param user     null when the URL names none (the driver's default, or a {@code user} option of a JDBC URL)
 * @param password null when the URL names none
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    /** @throws IllegalArgumentException when {@code url} is neither form */
    public static DatabaseUrl parse(String url) {
        if (url == null) throw new IllegalArgumentException("no database URL");
        if (url.startsWith("jdbc:postgresql:")) return new DatabaseUrl(url, null, null);
        String rest;
        if (url.startsWith("postgres://")) rest = url.substring("postgres://".length());
        else if (url.startsWith("postgresql://")) rest = url.substring("postgresql://".length());
        else throw new IllegalArgumentException("DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
            if (colon >= 0) password = decode(credentials.substring(colon + 1));
        }
        return new DatabaseUrl("jdbc:postgresql://" + rest, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The address without its password, for logs. */
    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + ", user=" + user + "]";
    }

    /**
     * The change log listener's own connection, outside the pool: it stays open (LISTEN) for the store's life. Its
     * application name carries this process's id, so that with several nodes on one database pg_stat_activity tells
     * whose listener a session is (the pid comes before the schema: PostgreSQL cuts names at 63 bytes).
     */
    Connection listenerConnection(String schema) throws SQLException {
        Properties p = new Properties();
        if (user() != null) p.setProperty("user", user());
        if (password() != null) p.setProperty("password", password());
        p.setProperty("ApplicationName", "nanodb-changes-" + ProcessHandle.current().pid() + "-" + schema);
        return DriverManager.getConnection(jdbcUrl(), p);
    }
}
