-- The user-changes outbox (package changes): written in the transaction that creates or changes a user or a service
-- account, relayed to the Kafka topic user-changes and deleted once Kafka acknowledged it.
CREATE TABLE user_changes_outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_key  VARCHAR(100) NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Users and service accounts that existed before user-changes was published are published once as snapshots, by the
-- first instance that starts with this table (UserChanges.publishSnapshotOnce), so every consumer starts complete.
CREATE TABLE user_changes_snapshot (
    taken_at  TIMESTAMPTZ
);
INSERT INTO user_changes_snapshot (taken_at) VALUES (NULL);
