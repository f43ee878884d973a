import { del, get, post, put } from '@/api/http';
import type { InboxPage, Notification, Preferences, Priority, UnreadCount } from '@/api/types';

export interface InboxFilters {
  unread: boolean;
  types: string[];
  priorities: Priority[];
}

export const PAGE_SIZE = 20;

export function fetchInbox(filters: InboxFilters, cursor?: string): Promise<InboxPage> {
  return get('/api/notifications', {
    params: {
      limit: PAGE_SIZE,
      cursor,
      unread: filters.unread || undefined,
      type: filters.types.length ? filters.types : undefined,
      priority: filters.priorities.length ? filters.priorities : undefined,
    },
  });
}

export const fetchUnreadCount = (): Promise<UnreadCount> => get('/api/notifications/unread-count');
export const markRead = (id: string): Promise<void> =>
  post('/api/notifications/{id}/read', undefined, { path: { id } }).then(() => undefined);
export const markAllRead = () => post('/api/notifications/read-all');
export const deleteNotification = (id: string): Promise<void> => del('/api/notifications/{id}', { id });
export const markClicked = (id: string): Promise<void> =>
  post('/api/notifications/{id}/clicked', undefined, { path: { id } }).then(() => undefined);
export const fetchPreferences = (): Promise<Preferences> => get('/api/notifications/preferences');
export const savePreferences = (preferences: Preferences): Promise<Preferences> =>
  put('/api/notifications/preferences', preferences);

export function matches(filters: InboxFilters, n: Notification): boolean {
  return (
    (!filters.unread || !n.read) &&
    (filters.types.length === 0 || filters.types.includes(n.type ?? 'general')) &&
    (filters.priorities.length === 0 || filters.priorities.includes(n.priority ?? 'normal'))
  );
}
