package io.notify.gateway.receipts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The accepted acks of one window: notification id → user id → {company, sockets, first and last ack}.
 * {@link #acked} is called from the sockets' event loops, {@link #drain} by the publisher once per window;
 * both under this object's lock (an ack holds it for a map lookup or two).
 */
final class ReceiptAggregator {

    private Map<UUID, Map<String, Acks>> window = new HashMap<>();

    /** One socket of {@code userId} acknowledged {@code notificationId} at {@code atMillis}. */
    synchronized void acked(UUID notificationId, String userId, String company, long atMillis) {
        Map<String, Acks> byUser = window.get(notificationId);
        if (byUser == null) {
            byUser = new HashMap<>(4);
            window.put(notificationId, byUser);
        }
        Acks acks = byUser.get(userId);
        if (acks == null) {
            acks = new Acks(company, atMillis);
            byUser.put(userId, acks);
        }
        acks.sockets++;
        acks.first = Math.min(acks.first, atMillis);
        acks.last = Math.max(acks.last, atMillis);
    }

    /** Whether nothing was acknowledged since the last drain. */
    synchronized boolean isEmpty() {
        return window.isEmpty();
    }

    /**
     * The window's receipts, one record per notification (and per {@link NotificationReceipts#MAX_RECEIPTS}
     * users), each with a fresh batch id; the next window starts empty.
     */
    List<NotificationReceipts> drain(String gateway) {
        Map<UUID, Map<String, Acks>> done;
        synchronized (this) {
            if (window.isEmpty()) {
                return List.of();
            }
            done = window;
            window = new HashMap<>();
        }
        List<NotificationReceipts> records = new ArrayList<>(done.size());
        done.forEach((notificationId, byUser) -> {
            List<NotificationReceipts.Receipt> receipts = new ArrayList<>(Math.min(byUser.size(), NotificationReceipts.MAX_RECEIPTS));
            for (Map.Entry<String, Acks> e : byUser.entrySet()) {
                Acks a = e.getValue();
                receipts.add(new NotificationReceipts.Receipt(e.getKey(), a.company, a.sockets, a.first, a.last));
                if (receipts.size() == NotificationReceipts.MAX_RECEIPTS) {
                    records.add(record(gateway, notificationId, receipts));
                    receipts = new ArrayList<>();
                }
            }
            if (!receipts.isEmpty()) {
                records.add(record(gateway, notificationId, receipts));
            }
        });
        return records;
    }

    private static NotificationReceipts record(String gateway, UUID notificationId, List<NotificationReceipts.Receipt> receipts) {
        return new NotificationReceipts(NotificationReceipts.SCHEMA_VERSION, UUID.randomUUID().toString(), gateway,
                notificationId.toString(), receipts);
    }

    private static final class Acks {
        final String company;
        int sockets;
        long first;
        long last;

        Acks(String company, long at) {
            this.company = company;
            this.first = at;
            this.last = at;
        }
    }
}
