-- Snooze (inbox.InboxService#snooze, inbox.SnoozeWakeUps): a snoozed mark is out of the default list and the counts
-- until snoozed_until, like an archived one. The wake-up pollers claim due marks through the partial index.
ALTER TABLE inbox_marks ADD COLUMN snoozed_until TIMESTAMPTZ;
CREATE INDEX inbox_marks_snoozed_until_idx ON inbox_marks (snoozed_until) WHERE snoozed_until IS NOT NULL;

-- Woken from a snooze and unread again: the one mark that makes a notification unread under the user's read
-- watermark. Read-all sets read on those up to its watermark; the unread walks take the ones under it from this index.
ALTER TABLE inbox_marks ADD COLUMN resurfaced BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX inbox_marks_resurfaced_idx ON inbox_marks (user_id, seq) WHERE resurfaced AND NOT read AND NOT deleted;
