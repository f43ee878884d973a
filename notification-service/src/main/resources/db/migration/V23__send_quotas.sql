-- Send quotas per company and per service account (quota.SendQuotas), shared by every instance.
-- send_quotas: a limit that overrides the configured default for one company (key: its name) or service account
-- (key: its token's sub), in sends per window (a minute); per_minute NULL means the default again. Filled through
-- SendQuotas.setLimit.
CREATE TABLE send_quotas (
    scope      VARCHAR(20)  NOT NULL CHECK (scope IN ('company', 'service_account')),
    key        VARCHAR(200) NOT NULL,
    per_minute INT          CHECK (per_minute >= 0),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- The counters: sends taken per scope (company, service_account, user), key and fixed window, with the limit in
-- force at the last take. Unlogged: a take commits without a WAL flush; a crash or failover forgets the current
-- window's counts, which only lets a window start afresh. Windows before the last one are deleted every minute.
CREATE UNLOGGED TABLE send_quota_usage (
    scope        VARCHAR(20)  NOT NULL,
    key          VARCHAR(200) NOT NULL,
    window_start TIMESTAMPTZ  NOT NULL,
    used         INT          NOT NULL,
    quota        INT          NOT NULL,
    PRIMARY KEY (scope, key, window_start)
);

-- Kafka requests over their company's quota (send.DeferredSends): kept here, their record acknowledged, and stored
-- when due (their window ended) and their company's quota allows, oldest first. Every Kafka request has an
-- idempotency key by then (the producer's, or one made of the record's topic, partition, offset and timestamp),
-- unique here as in notifications' "kafka" scope: a redelivered record is deferred once, and a row stored twice (an
-- instance stopped between storing it and deleting it) creates one notification.
CREATE TABLE deferred_sends (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key VARCHAR(200) NOT NULL UNIQUE,
    company         VARCHAR(200) NOT NULL,
    request         TEXT         NOT NULL,
    trace_context   TEXT,
    due_at          TIMESTAMPTZ  NOT NULL,
    deferred_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- the companies with due rows, and each company's oldest due rows first
CREATE INDEX deferred_sends_company_due ON deferred_sends (company, due_at, id);
