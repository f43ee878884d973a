-- Engagement events (delivered, read, clicked, undelivered on notification-engagement) get an outbox of their own.
-- They are written without the sequence lock, so their outbox ids do not follow commit order. In the events' outbox
-- one committed ahead of a send batch still holding lower ids moved the relay's watermark past that batch, whose
-- events then waited for the relay's sweep (up to notify.outbox.poll-interval, 1 s) and reached the gateways out of
-- seq order. The relay reads both tables, each from its own watermark. Rows an older instance writes into outbox
-- during a rolling upgrade are relayed from there as before.
CREATE TABLE engagement_outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         VARCHAR(100) NOT NULL,
    record_key    VARCHAR(200),
    payload       TEXT         NOT NULL,
    trace_context TEXT,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
