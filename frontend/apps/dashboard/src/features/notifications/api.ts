import type { InboxPage, Notification, Preferences } from '@notify/client';
import { api } from '@/api/client';
import type { Priority } from '@/api/types';

export interface InboxFilters {
  /** the archived ones instead of the inbox (`?archived=true`) */
  archived: boolean;
  unread: boolean;
  types: string[];
  priorities: Priority[];
}

export const PAGE_SIZE = 20;
/** the whole inbox, newest first: the page's default view and the bell's */
export const EVERYTHING: InboxFilters = { archived: false, unread: false, types: [], priorities: [] };

export function fetchInbox(filters: InboxFilters, cursor?: string): Promise<InboxPage> {
  return api.list({
    limit: PAGE_SIZE,
    cursor,
    archived: filters.archived || undefined,
    unread: filters.unread || undefined,
    type: filters.types.length ? filters.types : undefined,
    priority: filters.priorities.length ? filters.priorities : undefined,
  });
}

export const fetchUnreadCount = () => api.unreadCount();
export const markRead = (id: string): Promise<void> => api.markRead(id).then(() => undefined);
export const markAllRead = () => api.readAll();
export const markSeen = (upTo?: number) => api.markSeen(upTo);
export const archive = (id: string): Promise<void> => api.archive(id).then(() => undefined);
export const unarchive = (id: string): Promise<void> => api.unarchive(id).then(() => undefined);
export const snooze = (id: string, until: Date): Promise<void> => api.snooze(id, until).then(() => undefined);
export const deleteNotification = (id: string): Promise<void> => api.remove(id).then(() => undefined);
/** the reader pressed one of its action buttons: the completion; an ApiError 409 (another chosen before) names that one */
export const completeAction = (id: string, actionId: string) => api.completeAction(id, actionId);
export const markClicked = (id: string): Promise<void> => api.clicked(id).then(() => undefined);
export const fetchPreferences = (): Promise<Preferences> => api.preferences();
export const savePreferences = (preferences: Preferences): Promise<Preferences> => api.savePreferences(preferences);
export const clearQuietHours = (): Promise<Preferences> => api.clearQuietHours();

export function matches(filters: InboxFilters, n: Notification): boolean {
  return (
    (!filters.unread || !n.read) &&
    (filters.types.length === 0 || filters.types.includes(n.type ?? 'general')) &&
    (filters.priorities.length === 0 || filters.priorities.includes(n.priority ?? 'normal'))
  );
}
