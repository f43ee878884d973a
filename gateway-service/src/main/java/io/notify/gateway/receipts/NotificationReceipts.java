package io.notify.gateway.receipts;

import java.util.List;

/**
 * A record on {@code notification-receipts} (contracts/asyncapi.yaml, {@code NotificationReceipts}): which
 * users' sockets on this gateway acknowledged one notification in one window. Keyed by the notification id.
 * Written as JSON by {@link ReceiptJson}.
 */
public record NotificationReceipts(int schemaVersion, String batchId, String gateway, String notificationId,
        List<Receipt> receipts) {

    public static final int SCHEMA_VERSION = 1;
    /** Users in one record at most; more make more records. */
    public static final int MAX_RECEIPTS = 1000;

    /** One user's acknowledgements of the notification in the window (times in epoch milliseconds). */
    public record Receipt(String userId, String company, int sockets, long firstAckedAtMillis, long lastAckedAtMillis) {
    }
}
