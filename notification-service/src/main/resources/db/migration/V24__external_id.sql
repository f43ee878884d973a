-- The sender's own id for a notification (issue 24): the seed's payload.id, or `external_id` of a
-- request. It is a label, not a key: idempotency stays with idempotency_key, and an external id may
-- repeat (a sender resending "n-42" as a new notification; two senders, even in two companies, using the
-- same id). So no unique index: one would also abort a whole group-committed batch on a repeat, since the
-- batch's insert only absorbs idempotency conflicts. It is looked up by a reader among the notifications
-- addressed to them and by a sender among their own (GET /api/notifications/external/{id}): never
-- globally, so another tenant's ids neither collide with nor leak into anyone's answer. The index finds a
-- given id's rows newest first; only rows that have one are indexed (most sends have none).
ALTER TABLE notifications ADD COLUMN external_id VARCHAR(200);
CREATE INDEX notifications_external_id_idx ON notifications (external_id, seq DESC) WHERE external_id IS NOT NULL;
