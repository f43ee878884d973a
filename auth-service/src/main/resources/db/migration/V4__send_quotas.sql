-- Send quotas (sends per minute) of a company and of a service account, enforced by notification-service (which
-- learns them from user-changes). NULL: notification-service's configured default.
ALTER TABLE companies ADD COLUMN send_quota_per_minute INTEGER CHECK (send_quota_per_minute >= 0);
ALTER TABLE service_accounts ADD COLUMN send_quota_per_minute INTEGER CHECK (send_quota_per_minute >= 0);
