import type { DeliveryStats } from '@/features/admin/api';

/** A delivery answer of `GET /api/notifications/{id}/delivery`: nothing delivered yet, unless overridden. */
export const deliveryStats = (over: Partial<DeliveryStats> = {}): DeliveryStats => ({
  notification_id: 'n-7',
  audience: { type: 'users', user_ids: ['u1', 'u2', 'u3'] },
  audience_size: 3,
  delivered_users: 0,
  delivered_sockets: 0,
  read_users: 0,
  clicked_users: 0,
  first_delivered_at: null,
  last_delivered_at: null,
  undelivered_user_ids: [],
  ...over,
});
