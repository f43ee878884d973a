CREATE TABLE companies (
    id          BIGSERIAL PRIMARY KEY,
    slug        VARCHAR(64)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    username       VARCHAR(64)  NOT NULL,
    display_name   VARCHAR(200) NOT NULL,
    email          VARCHAR(320),
    password_hash  VARCHAR(100) NOT NULL,
    company_id     BIGINT       NOT NULL REFERENCES companies (id),
    enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_uq ON users (lower(username));
CREATE INDEX users_company_idx ON users (company_id);

CREATE TABLE user_roles (
    user_id  UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     VARCHAR(32) NOT NULL CHECK (role IN ('user', 'admin', 'service')),
    PRIMARY KEY (user_id, role)
);
