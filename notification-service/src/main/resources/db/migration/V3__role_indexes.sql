-- Role notifications are read per role, either company-wide-across-companies (company IS NULL) or
-- within the reader's company, each in seq order from its own index. (One index with company in the
-- middle cannot give seq order for "company IS NULL": PostgreSQL walked the whole seq index instead.)
CREATE INDEX notifications_role_company_seq_idx ON notifications (audience_role, audience_company, seq DESC)
    WHERE audience_type = 'role' AND audience_company IS NOT NULL;
CREATE INDEX notifications_role_global_seq_idx ON notifications (audience_role, seq DESC)
    WHERE audience_type = 'role' AND audience_company IS NULL;
DROP INDEX notifications_role_seq_idx;
