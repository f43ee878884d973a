package io.notify.notification.broadcast;

import static io.notify.notification.Tenant.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Fan-out on read: a broadcast costs the same few rows whatever the size of its audience. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class CompanyBroadcastScaleTest {

    static final int USERS = 50_000;
    static final String[] TABLES = { "notifications", "notification_recipients", "inbox_state", "inbox_marks",
            "user_events", "preferences" };

    final Tenant t = new Tenant();

    @Inject
    AgroalDataSource db;

    /** Rows per table. */
    Map<String, Long> rows() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void companyBroadcast_toFiftyThousandUsers_writesOneNotificationRow() throws SQLException {
        // 50k users of the company who already have inbox state (they all marked everything read once)
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO inbox_state (user_id, read_up_to) SELECT '" + t.company
                    + "-' || i, 0 FROM generate_series(1, " + USERS + ") i");
        }
        Map<String, Long> before = rows();

        t.send(body(t.companyAudience(), "To all 50k"));

        Map<String, Long> after = rows();
        Map<String, Long> written = new LinkedHashMap<>();
        before.forEach((table, n) -> written.put(table, after.get(table) - n));
        assertThat(written).containsEntry("notifications", 1L).containsEntry("notification_recipients", 0L)
                .containsEntry("inbox_state", 0L).containsEntry("inbox_marks", 0L);

        // and each of them sees it, computed on read
        for (int i : new int[] { 1, USERS / 2, USERS }) {
            String reader = TestTokens.token(t.company + "-" + i, "u" + i, t.company, Set.of("user"));
            assertThat(Tenant.titles(reader)).containsExactly("To all 50k");
            assertThat(Tenant.unread(reader).getLong("total")).isEqualTo(1);
        }
        assertThat(Tenant.titles(TestTokens.token(UUID.randomUUID().toString(), "x", t.otherCompany, Set.of("user"))))
                .isEmpty();
    }
}
