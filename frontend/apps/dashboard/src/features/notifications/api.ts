import type { InboxPage, Notification, Preferences } from '@notify/client';
import { api } from '@/api/client';
import type { Priority } from '@/api/types';

export interface InboxFilters {
  unread: boolean;
  types: string[];
  priorities: Priority[];
}

export const PAGE_SIZE = 20;

export function fetchInbox(filters: InboxFilters, cursor?: string): Promise<InboxPage> {
  return api.list({
    limit: PAGE_SIZE,
    cursor,
    unread: filters.unread || undefined,
    type: filters.types.length ? filters.types : undefined,
    priority: filters.priorities.length ? filters.priorities : undefined,
  });
}

export const fetchUnreadCount = () => api.unreadCount();
export const markRead = (id: string): Promise<void> => api.markRead(id).then(() => undefined);
export const markAllRead = () => api.readAll();
export const deleteNotification = (id: string): Promise<void> => api.remove(id).then(() => undefined);
export const markClicked = (id: string): Promise<void> => api.clicked(id).then(() => undefined);
export const fetchPreferences = (): Promise<Preferences> => api.preferences();
export const savePreferences = (preferences: Preferences): Promise<Preferences> => api.savePreferences(preferences);

export function matches(filters: InboxFilters, n: Notification): boolean {
  return (
    (!filters.unread || !n.read) &&
    (filters.types.length === 0 || filters.types.includes(n.type ?? 'general')) &&
    (filters.priorities.length === 0 || filters.priorities.includes(n.priority ?? 'normal'))
  );
}
