-- Every send inserts one notifications row; two changes make that cheaper for PostgreSQL.
--
-- Idempotency keys are optional, and most sends have none: the unique constraint indexed every row
-- anyway, with two NULLs. A partial unique index keeps the same rule (NULLs never conflicted) and
-- indexes only the rows that have a key; the key lookup (both columns equal) still uses it.
ALTER TABLE notifications DROP CONSTRAINT notifications_idempotency_key_key;
CREATE UNIQUE INDEX notifications_idempotency_key_idx ON notifications (idempotency_scope, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- (New ids are time-ordered UUIDs, version 7, made by the service: each insert lands at the right
-- edge of the primary key index instead of on a random page of it. Existing ids stay as they are.)
