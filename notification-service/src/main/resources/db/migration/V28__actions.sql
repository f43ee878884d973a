-- Action buttons (issue 25). A notification may carry up to 3 actions, stored with it as sent (style defaulted),
-- null for none: the group-committed send statement carries one more text array, nothing else per row.
ALTER TABLE notifications ADD COLUMN actions jsonb;

-- Each reader completes at most one action of a notification: the first completion stands (a repeat of the
-- same action answers it again, another action is refused). Rows go with their notification (retention).
CREATE TABLE action_completions (
    notification_id UUID NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         VARCHAR(64) NOT NULL,
    action_id       VARCHAR(40) NOT NULL,
    completed_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
