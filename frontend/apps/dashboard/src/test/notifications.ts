import type { Notification } from '@notify/client';

/** An unread notification `n{i}` (seq i) for component tests; `extra` overrides any field. */
export const notification = (i: number, extra: Partial<Notification> = {}): Notification => ({
  id: `n${i}`,
  seq: i,
  audience: { type: 'user' },
  data: {},
  link: null,
  sender: 'admin',
  expires_at: null,
  title: `Notification ${i}`,
  message: `Message ${i}`,
  type: 'info',
  priority: 'normal',
  created_at: new Date().toISOString(),
  read: false,
  ...extra,
});
