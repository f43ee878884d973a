-- Seen is not read: the bell's badge counts what the user has not seen yet, and opening the inbox marks
-- everything up to the newest seq seen with one write, like "mark all read" (a per-user watermark).
ALTER TABLE inbox_state ADD COLUMN seen_up_to BIGINT NOT NULL DEFAULT 0;

-- Archived: out of the default list and the counts (archiving marks read), listed with ?archived=true.
-- The listing walks this user's archived marks newest first through the partial index.
ALTER TABLE inbox_marks ADD COLUMN archived BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX inbox_marks_archived_idx ON inbox_marks (user_id, seq) WHERE archived AND NOT deleted;
