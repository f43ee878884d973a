import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import {
  applyLiveEvent,
  completeAction,
  followUp,
  markRead,
  removeOne,
  upTo,
  withId,
  type FollowUp,
  type InboxChange,
  type InboxPages,
  type InboxView,
  type LiveEvent,
  type ActionCompletion,
} from '@notify/client';
import type { InboxPage } from '@notify/client';
import { matches, type InboxFilters } from './api';

/**
 * Applies a change (from this tab, or from any tab through the socket) to every cached inbox view,
 * so the list, the filters and the badge agree without refetching. What a change does to a view's
 * pages is @notify/client's (applyLiveEvent and its parts, the same @notify/react's store applies);
 * the unread count is the server's, asked for again after each change.
 */
type Inbox = InfiniteData<InboxPage, string | undefined>;

export const inboxKey = (filters: InboxFilters) => ['inbox', filters] as const;
export const unreadKey = ['unread-count'] as const;

/** What a cached view is to applyLiveEvent: the filters a new notification must pass, or the archived ones. */
const viewOf = (filters: InboxFilters): InboxView => ({ accepts: (n) => matches(filters, n), archived: filters.archived });

function update(qc: QueryClient, change: (pages: InboxPages, filters: InboxFilters) => InboxChange) {
  for (const [key, data] of qc.getQueriesData<Inbox>({ queryKey: ['inbox'] })) {
    if (!data) {
      continue;
    }
    const before = data.pages.map((page) => page.items ?? []);
    const { pages: after, follow } = change(before, key[1] as InboxFilters);
    if (follow === 'reload') {
      // this view gains one whose place only the server knows (an archived view, when one is archived)
      void qc.invalidateQueries({ queryKey: key, exact: true });
    } else if (after !== before) {
      qc.setQueryData<Inbox>(key, { ...data, pages: data.pages.map((page, i) => ({ ...page, items: after[i] ?? [] })) });
    }
  }
  void qc.invalidateQueries({ queryKey: unreadKey });
}

/** A live event applied to every cached view (a new notification only to those whose filters take it); what follows it is the caller's. */
export function applyToInbox(qc: QueryClient, event: LiveEvent): FollowUp {
  const follow = followUp(event);
  if (follow === 'none' || follow === 'count') {
    update(qc, (pages, filters) => applyLiveEvent(pages, event, viewOf(filters)));
  }
  return follow;
}

export function setRead(qc: QueryClient, id: string): void {
  update(qc, (pages) => markRead(pages, withId(id)));
}

export function setAllRead(qc: QueryClient, readUpTo?: number): void {
  update(qc, (pages) => markRead(pages, upTo(readUpTo)));
}

export function remove(qc: QueryClient, id: string): void {
  update(qc, (pages) => removeOne(pages, id));
}

/** This tab archived or unarchived one: every view as the live frame will leave it (the same reducer). */
export function setArchived(qc: QueryClient, id: string, archived: boolean): void {
  const event: LiveEvent = { type: archived ? 'notification_archived' : 'notification_unarchived', notification_id: id };
  update(qc, (pages, filters) => applyLiveEvent(pages, event, viewOf(filters)));
}

/** This tab completed one of its actions: every view shows it done (as the live `action_completed` frame will). */
export function setCompleted(qc: QueryClient, id: string, completion: ActionCompletion): void {
  update(qc, (pages) => completeAction(pages, id, completion));
}

/** Everything shown is seen: the badge clears at once (the server's count follows). */
export function setAllSeen(qc: QueryClient): void {
  qc.setQueryData<{ unseen?: number }>(unreadKey, (count) => count && { ...count, unseen: 0 });
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
