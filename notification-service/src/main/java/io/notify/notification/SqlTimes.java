package io.notify.notification;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** What a native query answers for a {@code timestamptz} column, as an {@link OffsetDateTime} in UTC. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The column's value in UTC (the driver may answer an OffsetDateTime, an Instant or a Timestamp); null stays null. */
    public static OffsetDateTime utc(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (value instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
