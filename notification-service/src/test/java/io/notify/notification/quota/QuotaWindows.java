package io.notify.notification.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.awaitility.Awaitility;

import io.agroal.api.AgroalDataSource;

/**
 * Quota windows are fixed (on the database's clock): a test that counts what one window admits first waits until the
 * current window has {@code needed} left, so that its sends do not straddle two windows.
 */
public final class QuotaWindows {

    private QuotaWindows() {
    }

    public static void awaitRoom(AgroalDataSource db, Duration window, Duration needed) {
        assertThat(needed).isLessThan(window);
        Awaitility.await().atMost(needed.plus(window)).pollInterval(Duration.ofMillis(50))
                .until(() -> left(db, window).compareTo(needed) >= 0);
    }

    /** What is left of the current window, as SendQuotas cuts windows. */
    static Duration left(AgroalDataSource db, Duration window) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT CAST(EXTRACT(EPOCH FROM " + SendQuotas.WINDOW_START
                        + " + CAST(? AS interval) - now()) * 1000 AS bigint)")) {
            String interval = window.toMillis() + " milliseconds";
            s.setString(1, interval);
            s.setString(2, interval);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Duration.ofMillis(rs.getLong(1));
            }
        }
    }
}
