-- One global sequence orders every change a client can see: notifications and per-user state
-- events (read, all_read, deleted, preferences_updated). Writers take a transaction-scoped
-- advisory lock before drawing from it (see EventLog), so seq order is commit order and "everything
-- after seq X" never skips a row that commits late.
CREATE SEQUENCE event_seq;
SELECT setval('event_seq', COALESCE((SELECT max(seq) FROM notifications), 0) + 1, false);
ALTER TABLE notifications ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE notifications ALTER COLUMN seq SET DEFAULT nextval('event_seq');

-- Clean-up: retention by age, expired ones once they expired.
CREATE INDEX notifications_created_at_idx ON notifications (created_at);
CREATE INDEX notifications_expires_at_idx ON notifications (expires_at) WHERE expires_at IS NOT NULL;

-- Per-user read watermark: "mark all read" is one write, whatever the inbox size.
CREATE TABLE inbox_state (
    user_id     VARCHAR(64) PRIMARY KEY,
    read_up_to  BIGINT      NOT NULL DEFAULT 0,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Per-user exceptions above the watermark: a notification read one by one, or deleted from this
-- user's inbox (a company notification is deleted for this user only).
CREATE TABLE inbox_marks (
    user_id          VARCHAR(64) NOT NULL,
    seq              BIGINT      NOT NULL,
    notification_id  UUID        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    read             BOOLEAN     NOT NULL DEFAULT false,
    deleted          BOOLEAN     NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, seq)
);
CREATE INDEX inbox_marks_notification_idx ON inbox_marks (notification_id);

-- Types a user switched off (or back on). Absent = on.
CREATE TABLE preferences (
    user_id  VARCHAR(64) NOT NULL,
    type     VARCHAR(64) NOT NULL,
    enabled  BOOLEAN     NOT NULL,
    PRIMARY KEY (user_id, type)
);

-- Per-user state changes in the global sequence, so a reconnecting client gets them on resume.
CREATE TABLE user_events (
    seq         BIGINT      PRIMARY KEY,
    user_id     VARCHAR(64) NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_events_user_seq_idx ON user_events (user_id, seq);
CREATE INDEX user_events_created_at_idx ON user_events (created_at);

-- The highest seq the retention clean-up removed: a resume from below it answers resync.
CREATE TABLE retention_horizon (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT   NOT NULL
);
INSERT INTO retention_horizon (id, seq) VALUES (1, 0);
