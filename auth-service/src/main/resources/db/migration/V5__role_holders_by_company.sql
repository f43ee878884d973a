-- A role audience's size (UserDirectory.count: the enabled users of a company holding a role) counted from user_roles
-- alone: each role row carries its user's company and whether the user is enabled, and a partial index holds the
-- enabled users' rows by (company, role). Joined to users, PostgreSQL hashed every holder of the role in every company
-- or probed each user of the company (60 ms for a company of 10,000 users among 1.1M; bench/README.md, "Capacity").
--
-- Kept by triggers rather than by UserDirectory: a role row takes its user's company and state when it is written, and
-- a change of either moves the user's role rows with it, whoever writes (also a pod of the previous version during a
-- rolling upgrade, which writes role rows without these columns).
ALTER TABLE user_roles ADD COLUMN company_id BIGINT;
ALTER TABLE user_roles ADD COLUMN user_enabled BOOLEAN;

CREATE FUNCTION user_roles_take_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- FOR SHARE: a concurrent change of the user's company or state either commits first (and is read here) or waits
    -- for this row to commit (and then moves it with the user's other rows)
    SELECT company_id, enabled INTO NEW.company_id, NEW.user_enabled FROM users WHERE id = NEW.user_id FOR SHARE;
    RETURN NEW;
END
$$;

CREATE FUNCTION users_move_roles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_roles SET company_id = NEW.company_id, user_enabled = NEW.enabled WHERE user_id = NEW.id;
    RETURN NULL;
END
$$;

-- Creating the triggers locks both tables against writes until this migration commits: the backfill below sees every
-- row there is, and every row written after it goes through the triggers.
CREATE TRIGGER user_roles_take_user BEFORE INSERT OR UPDATE OF user_id ON user_roles
    FOR EACH ROW EXECUTE FUNCTION user_roles_take_user();
CREATE TRIGGER users_move_roles AFTER UPDATE OF company_id, enabled ON users
    FOR EACH ROW WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.enabled IS DISTINCT FROM NEW.enabled)
    EXECUTE FUNCTION users_move_roles();

UPDATE user_roles r SET company_id = u.company_id, user_enabled = u.enabled FROM users u WHERE u.id = r.user_id;
ALTER TABLE user_roles ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE user_roles ALTER COLUMN user_enabled SET NOT NULL;
CREATE INDEX user_roles_enabled_by_company_idx ON user_roles (company_id, role) WHERE user_enabled;
