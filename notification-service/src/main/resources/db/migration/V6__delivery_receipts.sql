-- What happened to each notification for each user: delivered (a device acknowledged it), read, clicked.
--
-- Broadcasts stay one notifications row (fan-out on read); only users who did something get a row here,
-- and the delivery endpoint reads one counters row instead of counting up to 100,000 receipt rows.

-- Who it was meant for, and who may see its delivery: the directory's count at send time for company,
-- role and everyone audiences (NULL when unknown), the number of ids for user/users; the sending
-- user's or service account's id (NULL for the Kafka intake) and company (NULL for service accounts).
ALTER TABLE notifications ADD COLUMN audience_size INTEGER;
ALTER TABLE notifications ADD COLUMN sender_id VARCHAR(64);
ALTER TABLE notifications ADD COLUMN sender_company VARCHAR(64);
-- When the undelivered check ran (user/users audiences only; NULL: not yet). Rows from before this
-- migration count as checked, so the first check does not report every old notification undelivered.
ALTER TABLE notifications ADD COLUMN delivery_checked_at TIMESTAMPTZ;
UPDATE notifications SET delivery_checked_at = now() WHERE audience_type IN ('user', 'users');
-- The check's queue: only the unchecked user/users notifications, oldest first.
CREATE INDEX notifications_delivery_unchecked_idx ON notifications (created_at)
    WHERE delivery_checked_at IS NULL AND audience_type IN ('user', 'users');

-- One row per (notification, user) that was delivered, read or clicked. A row made by a read or a
-- click before any acknowledgement has sockets 0 and no delivery times.
CREATE TABLE delivery_receipts (
    notification_id     UUID        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id             VARCHAR(64) NOT NULL,
    company             VARCHAR(64),
    sockets             INTEGER     NOT NULL DEFAULT 0,
    first_delivered_at  TIMESTAMPTZ,
    last_delivered_at   TIMESTAMPTZ,
    read_at             TIMESTAMPTZ,
    clicked_at          TIMESTAMPTZ,
    PRIMARY KEY (notification_id, user_id)
);

-- Per-notification totals, kept in the same transactions as the receipt rows (row-level increments).
CREATE TABLE delivery_counters (
    notification_id     UUID        PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
    delivered_users     INTEGER     NOT NULL DEFAULT 0,
    delivered_sockets   BIGINT      NOT NULL DEFAULT 0,
    read_users          INTEGER     NOT NULL DEFAULT 0,
    clicked_users       INTEGER     NOT NULL DEFAULT 0,
    first_delivered_at  TIMESTAMPTZ,
    last_delivered_at   TIMESTAMPTZ
);

-- Receipt batches already applied: a redelivered batch counts once. Pruned by the retention job.
CREATE TABLE receipt_batches (
    batch_id         UUID        PRIMARY KEY,
    notification_id  UUID        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    applied_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX receipt_batches_notification_idx ON receipt_batches (notification_id);
CREATE INDEX receipt_batches_applied_at_idx ON receipt_batches (applied_at);
