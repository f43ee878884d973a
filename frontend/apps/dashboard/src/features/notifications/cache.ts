import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { InboxPage, Notification } from '@/api/types';
import { matches, type InboxFilters } from './api';

/**
 * Applies a change (from this tab, or from any tab through the socket) to every cached inbox view,
 * so the list, the filters and the badge agree without refetching.
 */
type Inbox = InfiniteData<InboxPage, string | undefined>;

export const inboxKey = (filters: InboxFilters) => ['inbox', filters] as const;
export const unreadKey = ['unread-count'] as const;

function update(qc: QueryClient, change: (items: Notification[], filters: InboxFilters, page: number) => Notification[]) {
  for (const [key, data] of qc.getQueriesData<Inbox>({ queryKey: ['inbox'] })) {
    if (!data) {
      continue;
    }
    const filters = key[1] as InboxFilters;
    qc.setQueryData<Inbox>(key, {
      ...data,
      pages: data.pages.map((page, i) => ({ ...page, items: change(page.items ?? [], filters, i) })),
    });
  }
}

export function addNotification(qc: QueryClient, n: Notification): void {
  const known = qc
    .getQueriesData<Inbox>({ queryKey: ['inbox'] })
    .some(([, data]) => data?.pages.some((p) => p.items?.some((i) => i.id === n.id)));
  if (!known) {
    update(qc, (items, filters, page) => (page === 0 && matches(filters, n) ? [n, ...items] : items));
  }
  void qc.invalidateQueries({ queryKey: unreadKey });
}

export function setRead(qc: QueryClient, id: string): void {
  update(qc, (items) => items.map((n) => (n.id === id ? { ...n, read: true } : n)));
  void qc.invalidateQueries({ queryKey: unreadKey });
}

export function setAllRead(qc: QueryClient, upTo?: number): void {
  update(qc, (items) =>
    items.map((n) => (upTo === undefined || (n.seq ?? 0) <= upTo ? { ...n, read: true } : n)),
  );
  void qc.invalidateQueries({ queryKey: unreadKey });
}

export function remove(qc: QueryClient, id: string): void {
  update(qc, (items) => items.filter((n) => n.id !== id));
  void qc.invalidateQueries({ queryKey: unreadKey });
}

export function reloadInbox(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: ['inbox'] });
  void qc.invalidateQueries({ queryKey: unreadKey });
}

/** Every type the cached inbox views hold (what this reader has been shown). */
export function cachedTypes(qc: QueryClient): string[] {
  const types = new Set<string>();
  for (const [, data] of qc.getQueriesData<Inbox>({ queryKey: ['inbox'] })) {
    data?.pages.forEach((p) => p.items?.forEach((n) => types.add(n.type ?? 'general')));
  }
  return [...types];
}
