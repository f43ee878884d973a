-- Issue 25: a snoozed notification that comes back is unseen again (the badge counts it), also when its own seq lies
-- under the reader's seen watermark: the seq of the wake-up's resurfaced event, compared with that watermark.
ALTER TABLE inbox_marks ADD COLUMN resurfaced_seq BIGINT;
