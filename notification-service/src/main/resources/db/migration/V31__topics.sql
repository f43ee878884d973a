-- Topics (issue 25): subscriptions beyond company and role ("project-42", "invoice-1001"), always within a company.
-- A topic notification is stored once (no recipient rows) and fanned out on read to the subscribers of
-- (company, topic) who subscribed before it (since_seq < seq).
ALTER TABLE notifications DROP CONSTRAINT notifications_audience_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_audience_type_check
    CHECK (audience_type IN ('user', 'users', 'company', 'role', 'everyone', 'topic'));
ALTER TABLE notifications ADD COLUMN audience_topic VARCHAR(128);
-- The inbox walks one topic's notifications in seq order from the reader's bound, per subscription.
CREATE INDEX notifications_topic_seq_idx ON notifications (audience_company, audience_topic, seq)
    WHERE audience_type = 'topic';

-- since_seq: the seq of the subscription_changed event the subscribe appended; the subscriber sees the topic's
-- notifications above it. Unsubscribing deletes the row; subscribing again draws a new since_seq.
CREATE TABLE topic_subscriptions (
    company       VARCHAR(64)  NOT NULL,
    topic         VARCHAR(128) NOT NULL,
    user_id       VARCHAR(64)  NOT NULL,
    since_seq     BIGINT       NOT NULL,
    subscribed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (company, topic, user_id)
);
-- A user's subscriptions (the inbox's topic branch, the gateways' batched preference loads).
CREATE INDEX topic_subscriptions_user_idx ON topic_subscriptions (user_id, company, topic) INCLUDE (since_seq);
