import type { AudienceView, ScheduledSend } from '../src';

/** A pending scheduled send as `GET /api/notifications/scheduled` lists it (for the dashboard's and @notify/react's tests). */
export const pendingSend = (id: string, title: string, sendAt: string, audience: AudienceView = { type: 'company', company: 'company_a' }): ScheduledSend => ({
  id,
  status: 'scheduled',
  send_at: sendAt,
  audience,
  title,
  type: 'info',
  idempotency_key: `key-${id}`,
});
