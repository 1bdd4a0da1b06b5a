package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.StoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** SQLState → StoreException, and DATABASE_URL forms. */
class PgErrorsTest {

    private static StoreException translate(String state) {
        return PgErrors.translate(new SQLException("boom", state), index -> null);
    }

    @Test
    void connectionLossAndPoolTimeoutsAreUnavailable() {
        for (String state : new String[] {"08006", "08001", "57P01", "57P03", "53300"}) {
            assertThat(translate(state)).as(state).isInstanceOf(StoreException.Unavailable.class);
        }
        assertThat(PgErrors.translate(new SQLTransientConnectionException("pool timeout"), i -> null))
                .isInstanceOf(StoreException.Unavailable.class);
    }

    @Test
    void diskFullIsStorageFullAndUniqueViolationNamesAField() {
        assertThat(translate("53100")).isInstanceOf(StoreException.StorageFull.class);
        assertThat(((StoreException.UniqueViolation) translate("23505")).field()).isEqualTo("id");
        assertThat(translate("54000")).isInstanceOf(StoreException.InvalidValue.class);
        StoreException.NotFound nf = new StoreException.NotFound("x");
        assertThat(PgErrors.translate(nf, i -> null)).isSameAs(nf);
    }

    @Test
    void databaseUrlsOfBothForms() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://app:p%40ss@db.internal:6543/nano?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/nano?sslmode=require");
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(u.toString()).doesNotContain("p@ss");
        assertThat(DatabaseUrl.parse("postgresql://localhost/x")).isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost/x", null, null));
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/d?user=u").jdbcUrl()).isEqualTo("jdbc:postgresql://h/d?user=u");
    }
}
