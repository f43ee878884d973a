import { CheckCheck, Inbox, Loader2, RefreshCw } from 'lucide-react';
import * as React from 'react';
import { problemMessage, toProblem } from '@/api/problem';
import { Button } from '@/components/ui/button';
import { EVERYTHING, type InboxFilters } from './api';
import { Filters } from './Filters';
import { useArchive, useCompleteAction, useDeleteWithUndo, useSnooze, useInbox, useMarkAllRead, useMarkRead, useMarkSeenWhenShown, useSenderNames, useUnreadCount } from './hooks';
import { NotificationItem } from './NotificationItem';
import { groupByDay, KNOWN_TYPES } from './presentation';

export function DashboardPage() {
  const [filters, setFilters] = React.useState<InboxFilters>(EVERYTHING);
  const inbox = useInbox(filters);
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const deleteWithUndo = useDeleteWithUndo();
  // in the archived view the row's action takes it back to the inbox
  const archive = useArchive(!filters.archived);
  const snooze = useSnooze();
  const completeAction = useCompleteAction();
  const items = React.useMemo(() => inbox.data?.pages.flatMap((p) => p.items ?? []) ?? [], [inbox.data]);
  // opening the inbox marks what it shows seen (the bell's badge clears; they stay unread)
  useMarkSeenWhenShown(inbox.data ? items : undefined, !filters.archived);
  const senderNames = useSenderNames();
  // the type filter offers the known types and every type this inbox has shown
  const [seenTypes, setSeenTypes] = React.useState<string[]>([...KNOWN_TYPES]);
  React.useEffect(() => {
    setSeenTypes((seen) => {
      const fresh = items.map((n) => n.type ?? 'general').filter((t) => !seen.includes(t));
      return fresh.length ? [...seen, ...new Set(fresh)] : seen;
    });
  }, [items]);

  // infinite scroll: the next page loads when the end of the list comes into view
  const sentinel = React.useRef<HTMLDivElement | null>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = inbox;
  React.useEffect(() => {
    const node = sentinel.current;
    if (!node || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage) {
        void fetchNextPage();
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const total = unread.data?.total ?? 0;
  return (
    <section aria-labelledby="inbox-title" className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="inbox-title" className="text-2xl font-semibold tracking-tight">
            Notifications
          </h1>
          <p className="text-sm text-muted-foreground" data-testid="unread-summary">
            {total === 0 ? 'All caught up' : `${unread.data?.capped ? 'At least ' : ''}${total} unread`}
          </p>
        </div>
        <Button variant="outline" onClick={() => markAllRead.mutate()} disabled={total === 0 || markAllRead.isPending}>
          <CheckCheck className="h-4 w-4" aria-hidden />
          Mark all read
        </Button>
      </div>
      <Filters value={filters} onChange={setFilters} types={seenTypes} />

      {inbox.isPending ? (
        <div className="flex items-center gap-2 py-12 text-muted-foreground" role="status">
          <Loader2 className="h-5 w-5 animate-spin" aria-hidden /> Loading your notifications…
        </div>
      ) : inbox.isError ? (
        <div role="alert" className="grid justify-items-start gap-3 rounded-lg border border-destructive p-6">
          <p className="font-medium text-destructive">Your notifications could not be loaded.</p>
          <p className="text-sm text-muted-foreground">{problemMessage(toProblem(inbox.error))}</p>
          <Button variant="outline" onClick={() => void inbox.refetch()}>
            <RefreshCw className="h-4 w-4" aria-hidden /> Try again
          </Button>
        </div>
      ) : items.length === 0 ? (
        <div className="grid justify-items-center gap-2 rounded-lg border border-dashed p-12 text-center" data-testid="empty">
          <Inbox className="h-10 w-10 text-muted-foreground" aria-hidden />
          <p className="font-medium">
            {filters === EVERYTHING ? 'No notifications yet' : filters.archived && filters.types.length + filters.priorities.length === 0 ? 'Nothing archived' : 'Nothing matches these filters'}
          </p>
          <p className="text-sm text-muted-foreground">
            {filters.archived ? 'What you archive leaves the inbox and waits here.' : 'New ones appear here the moment they are sent.'}
          </p>
        </div>
      ) : (
        <ul aria-label={filters.archived ? 'Archived notifications' : 'Notifications'} className="grid gap-5">
          {groupByDay(items).map((group) => (
            <li key={group.label} className="grid gap-2">
              <h2 className="px-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">{group.label}</h2>
              <ul aria-label={group.label} className="divide-y overflow-hidden rounded-lg border bg-card">
                {group.items.map((n) => (
                  <li key={n.id}>
                    <NotificationItem
                      notification={n}
                      senderName={n.sender ? senderNames.get(n.sender) : undefined}
                      onMarkRead={(x) => markRead.mutate(x)}
                      onDelete={deleteWithUndo}
                      onArchive={(x) => archive.mutate(x)}
                      archived={filters.archived}
                      onSnooze={filters.archived ? undefined : (x, until) => snooze.mutate({ n: x, until })}
                      onAction={completeAction}
                    />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <div ref={sentinel} aria-hidden className="h-1" />
      {hasNextPage && (
        <Button variant="ghost" className="justify-self-center" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage && <Loader2 className="h-4 w-4 animate-spin" aria-hidden />}
          Load more
        </Button>
      )}
    </section>
  );
}
