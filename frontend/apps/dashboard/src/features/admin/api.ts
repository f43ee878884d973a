import { api } from '@/api/client';
import type { DeliveryStats, Notification } from '@notify/client';
import type { AudienceView } from '@/api/types';

export type { DeliveryStats };

/**
 * What became of one sent notification (`GET /api/notifications/{id}/delivery`, for its sender and
 * admins): how many of its audience's users a device acknowledged, read it, opened its link.
 */
export const fetchDelivery = (id: string): Promise<DeliveryStats> => api.delivery(id);

/** A notification this browser tab sent, kept for the tab's session so the sender can come back to its stats. */
export interface SentEntry {
  id: string;
  title: string;
  audience?: AudienceView;
  sent_at: string;
}

const RECENT_KEY = 'notify.recently-sent';
const RECENT_MAX = 10;

export function recentlySent(): SentEntry[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as SentEntry[]).filter((e) => typeof e?.id === 'string') : [];
  } catch {
    return [];
  }
}

/** Newest first, once per id, at most RECENT_MAX. */
export function rememberSent(n: Omit<Notification, 'audience'> & { audience?: AudienceView }, now: Date = new Date()): SentEntry[] {
  if (!n.id) {
    return recentlySent();
  }
  const entry: SentEntry = { id: n.id, title: n.title ?? '', audience: n.audience, sent_at: n.created_at ?? now.toISOString() };
  const list = [entry, ...recentlySent().filter((e) => e.id !== n.id)].slice(0, RECENT_MAX);
  try {
    sessionStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage full or off: the list lives as long as the page
  }
  return list;
}
