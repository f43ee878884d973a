-- Quiet hours (issue 25): at most one window per user, wall-clock times in an IANA zone. Read with the muted types
-- by the gateways' batched preference loads, so pushes in the window go out silent.
CREATE TABLE quiet_hours (
    user_id   VARCHAR(64) PRIMARY KEY,
    starts_at TIME        NOT NULL,
    ends_at   TIME        NOT NULL,
    timezone  VARCHAR(64) NOT NULL
);
