package dev.nanodb.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/** The shared secrets of every node ({@code nanodb_secrets}). */
final class PgSecrets {
    private PgSecrets() {}

    /**
     * A row of {@code nanodb_secrets}: {@code INSERT … ON CONFLICT DO NOTHING} then {@code SELECT}, so when nodes
     * race to create one, the first insert to commit wins and every node reads that value.
     */
    static String getOrCreate(Connection c, String name, Supplier<String> generate) throws SQLException {
        String found = stored(c, name);
        if (found != null) return found;
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO nanodb_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            p.setString(1, name);
            p.setString(2, generate.get());
            p.executeUpdate();
        }
        if (!c.getAutoCommit()) c.commit();
        return stored(c, name);
    }

    private static String stored(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM nanodb_secrets WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
