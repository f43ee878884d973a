-- Webhooks (issue 25): a service account's URL where notification-service POSTs the `actioned` events of the
-- notifications it sent, signed with HMAC-SHA256 under the account's secret (kept here in the clear: signing needs it;
-- shown to the account once, when it sets the URL).
CREATE TABLE webhooks (
    account_id VARCHAR(64) PRIMARY KEY,
    url        VARCHAR(2048) NOT NULL,
    secret     VARCHAR(128) NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The durable outbox of webhook calls: written in the transaction that records the completion, delivered by any
-- instance (claimed with FOR UPDATE SKIP LOCKED), retried with exponential backoff, failed after the give-up time.
CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    account_id      VARCHAR(64) NOT NULL,
    company         VARCHAR(255),
    event_id        UUID NOT NULL,
    payload         TEXT NOT NULL,
    status          VARCHAR(16) NOT NULL DEFAULT 'pending',
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ,
    last_error      VARCHAR(500)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_account_idx ON webhook_deliveries (account_id, id DESC);
