-- An idempotency key belongs to its sender. A globally unique key let another tenant who reused a
-- key (guessed, or a common one like "welcome") receive the first sender's notification in the
-- response, and silently dropped their own. Keys are now unique per scope: "user:<token subject>"
-- for REST callers (users, admins, service accounts), "kafka" for the Kafka intake (trusted
-- backend producers share one key space, as the contract documents).
ALTER TABLE notifications ADD COLUMN idempotency_scope VARCHAR(80);
-- rows from before: the sender's username is all we have; a retry of such a request after the
-- upgrade creates a second notification rather than answering from the wrong scope
UPDATE notifications
   SET idempotency_scope = CASE WHEN sender = 'kafka' THEN 'kafka' ELSE 'legacy:' || sender END
 WHERE idempotency_key IS NOT NULL;
ALTER TABLE notifications DROP CONSTRAINT notifications_idempotency_key_key;
ALTER TABLE notifications ADD CONSTRAINT notifications_idempotency_key_key UNIQUE (idempotency_scope, idempotency_key);
