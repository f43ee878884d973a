-- Refresh sessions: one per login. Each refresh token is stored only as its SHA-256 hash; using a
-- token rotates it (used_at set, a new row added). Presenting a token that was already used
-- revokes the whole session (refresh-token theft detection).
CREATE TABLE refresh_sessions (
    id              UUID         PRIMARY KEY,
    user_id         UUID         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ  NOT NULL,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  VARCHAR(32)
);
CREATE INDEX refresh_sessions_user_idx ON refresh_sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_sessions_expires_idx ON refresh_sessions (expires_at);

CREATE TABLE refresh_tokens (
    token_hash  CHAR(64)     PRIMARY KEY,
    session_id  UUID         NOT NULL REFERENCES refresh_sessions (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Service accounts for backend producers (OAuth 2.0 client credentials). The secret is bcrypt-hashed.
CREATE TABLE service_accounts (
    id           UUID          PRIMARY KEY,
    client_id    VARCHAR(64)   NOT NULL,
    name         VARCHAR(200)  NOT NULL,
    secret_hash  VARCHAR(100)  NOT NULL,
    enabled      BOOLEAN       NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_accounts_client_id_uq ON service_accounts (lower(client_id));

-- The companies a service account may notify: the `companies` claim of its tokens.
CREATE TABLE service_account_companies (
    service_account_id  UUID    NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    company_id          BIGINT  NOT NULL REFERENCES companies (id),
    PRIMARY KEY (service_account_id, company_id)
);

-- Failed login / client-credentials attempts in a fixed window, per username and per client
-- address. In the database so that the limit holds across restarts and across instances.
CREATE TABLE login_throttle (
    throttle_key       VARCHAR(330)  PRIMARY KEY,
    failures           INTEGER       NOT NULL,
    window_started_at  TIMESTAMPTZ   NOT NULL
);
CREATE INDEX login_throttle_window_idx ON login_throttle (window_started_at);

-- The directory pages by username (keyset paging).
CREATE INDEX users_username_idx ON users (username);
