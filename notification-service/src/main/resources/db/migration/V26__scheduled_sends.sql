-- Scheduled sends (send.ScheduledSends): a send with send_at, authorized and validated when it came in, kept here until
-- due and then stored by whichever instance claims it (FOR UPDATE SKIP LOCKED) with id as the notification's id and
-- the idempotency key below, so a row stored twice (an instance stopped between storing it and deleting it) creates
-- one notification. The key is the sender's own or 'scheduled:' || id; unique per sender scope as in notifications:
-- a retried request with the same key answers the same scheduled entry.
CREATE TABLE scheduled_sends (
    id                UUID         PRIMARY KEY,
    idempotency_scope VARCHAR(200) NOT NULL,
    idempotency_key   VARCHAR(200) NOT NULL,
    sender            VARCHAR(200) NOT NULL,
    sender_id         VARCHAR(200),
    sender_company    VARCHAR(200),
    audience_size     INT,
    request           TEXT         NOT NULL,
    trace_context     TEXT,
    send_at           TIMESTAMPTZ  NOT NULL,
    scheduled_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (idempotency_scope, idempotency_key)
);
-- the due rows, soonest first
CREATE INDEX scheduled_sends_send_at ON scheduled_sends (send_at, id);
-- a sender's pending sends
CREATE INDEX scheduled_sends_sender ON scheduled_sends (idempotency_scope, send_at);
