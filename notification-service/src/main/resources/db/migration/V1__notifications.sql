-- One row per notification, whatever its audience: a company, role or everyone notification is
-- stored once and fanned out on read from the reader's JWT claims (company, groups).
CREATE TABLE notifications (
    id               UUID PRIMARY KEY,
    seq              BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    audience_type    VARCHAR(16)   NOT NULL CHECK (audience_type IN ('user', 'users', 'company', 'role', 'everyone')),
    audience_company VARCHAR(64),
    audience_role    VARCHAR(32),
    title            VARCHAR(200)  NOT NULL,
    message          VARCHAR(4000) NOT NULL,
    type             VARCHAR(64)   NOT NULL,
    priority         VARCHAR(8)    NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    data             JSONB         NOT NULL DEFAULT '{}'::jsonb,
    link             VARCHAR(2048),
    sender           VARCHAR(200)  NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ,
    idempotency_key  VARCHAR(200)  UNIQUE
);
-- Inbox branches, each answered newest-first from an index.
CREATE INDEX notifications_company_seq_idx ON notifications (audience_company, seq DESC) WHERE audience_type = 'company';
CREATE INDEX notifications_role_seq_idx ON notifications (audience_role, seq DESC) WHERE audience_type = 'role';
CREATE INDEX notifications_everyone_seq_idx ON notifications (seq DESC) WHERE audience_type = 'everyone';

-- Explicit recipients of user / users notifications.
CREATE TABLE notification_recipients (
    user_id          VARCHAR(64) NOT NULL,
    notification_id  UUID        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    seq              BIGINT      NOT NULL,
    PRIMARY KEY (user_id, seq)
);
CREATE INDEX notification_recipients_notification_idx ON notification_recipients (notification_id);

-- Transactional outbox: events are written in the same transaction as the change they describe
-- and relayed to Kafka afterwards, so a crash between commit and send loses nothing.
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       VARCHAR(100) NOT NULL,
    record_key  VARCHAR(200),
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
