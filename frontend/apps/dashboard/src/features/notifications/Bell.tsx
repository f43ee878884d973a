import { usePopover } from '@notify/react';
import { Archive, Bell as BellIcon, Check } from 'lucide-react';
import * as React from 'react';
import { Link } from 'react-router-dom';
import type { Notification } from '@notify/client';
import { cn } from '@/lib/utils';
import { relativeTime } from '@/lib/time';
import { EVERYTHING } from './api';
import { useArchive, useCompleteAction, useInbox, useMarkAllRead, useMarkRead, useMarkSeenWhenShown, useUnreadCount, useUnseenCount } from './hooks';
import { ActionChoices } from './NotificationItem';

/** how many of the newest the popover shows; the inbox page has the rest */
export const POPOVER_ITEMS = 8;

/**
 * The bell with the live badge of new notifications (unread ones not seen yet: opening the popover marks what it
 * shows seen, in every tab; they stay unread) and a popover of the newest notifications (kept current by the socket's
 * events, the same cache as the inbox page). The button says whether the popover is open (aria-expanded,
 * aria-controls); `usePopover` (@notify/react's, as its bell) moves focus into it and closes it on Escape (focus back
 * to the button) or a click outside. Built on plain elements: no component that injects styles (the CSP allows none).
 */
export function Bell() {
  const { data } = useUnreadCount();
  const unseen = useUnseenCount() ?? 0;
  const [open, setOpen] = React.useState(false);
  const close = React.useCallback(() => setOpen(false), []);
  const panelId = `${React.useId()}-notifications`;
  const root = React.useRef<HTMLDivElement>(null);
  const button = React.useRef<HTMLButtonElement>(null);
  const panel = React.useRef<HTMLDivElement>(null);
  const total = data?.total ?? 0;
  const urgent = (data?.by_priority?.['urgent'] ?? 0) > 0;
  const shown = data?.capped && unseen === total ? `${unseen}+` : unseen > 99 ? '99+' : String(unseen);
  const label = unseen === 0 ? 'No new notifications' : `${shown} new notification${unseen === 1 ? '' : 's'}${urgent ? ', some urgent unread' : ''}`;

  usePopover(open, close, { root, button, panel });

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative inline-flex h-10 w-10 items-center justify-center rounded-full hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        <BellIcon className="h-5 w-5" aria-hidden />
        {unseen > 0 && (
          <span
            data-testid="unread-badge"
            aria-hidden
            className={cn(
              'absolute -right-0.5 -top-0.5 flex h-5 min-w-5 items-center justify-center rounded-full px-1 text-[11px] font-bold text-white',
              urgent ? 'bg-red-600 motion-safe:animate-pulse-few' : 'bg-primary',
            )}
          >
            {shown}
          </span>
        )}
        <span className="sr-only" aria-live="polite">
          {label}
        </span>
      </button>
      {open && (
        <div
          ref={panel}
          id={panelId}
          role="dialog"
          aria-label="Latest notifications"
          tabIndex={-1}
          data-testid="bell-popover"
          className="fixed inset-x-2 top-28 z-50 rounded-lg border bg-card text-card-foreground shadow-lg focus:outline-none sm:absolute sm:inset-x-auto sm:right-0 sm:top-12 sm:w-96"
        >
          <Latest onDone={() => setOpen(false)} unread={total} />
        </div>
      )}
    </div>
  );
}

/** The newest notifications (mounted only while the popover is open: the inbox is fetched on first open). */
function Latest({ onDone, unread }: { onDone: () => void; unread: number }) {
  const inbox = useInbox(EVERYTHING);
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const archive = useArchive(true);
  const completeAction = useCompleteAction();
  const items = React.useMemo(() => (inbox.data?.pages[0]?.items ?? []).slice(0, POPOVER_ITEMS), [inbox.data]);
  useMarkSeenWhenShown(inbox.data ? items : undefined);
  return (
    <>
      <div className="flex items-center justify-between gap-2 border-b px-4 py-2">
        <h2 className="text-sm font-semibold">Notifications</h2>
        <button
          type="button"
          className="rounded px-2 py-1 text-sm text-primary hover:bg-accent disabled:text-muted-foreground disabled:hover:bg-transparent"
          disabled={unread === 0 || markAllRead.isPending}
          onClick={() => markAllRead.mutate()}
        >
          Mark all read
        </button>
      </div>
      {inbox.isPending ? (
        <p role="status" className="px-4 py-6 text-sm text-muted-foreground">
          Loading…
        </p>
      ) : items.length === 0 ? (
        <p className="px-4 py-6 text-sm text-muted-foreground">No notifications yet</p>
      ) : (
        <ul className="max-h-[60vh] divide-y overflow-y-auto" aria-label="Newest notifications">
          {items.map((n) => (
            <Item key={n.id} n={n} onRead={() => markRead.mutate(n)} onArchive={() => archive.mutate(n)} onAction={completeAction} />
          ))}
        </ul>
      )}
      <div className="border-t px-4 py-2 text-right">
        <Link to="/" onClick={onDone} className="text-sm font-medium text-primary hover:underline">
          Open the inbox
        </Link>
      </div>
    </>
  );
}

/** One row: unread dot, title, message, when, its action buttons (Approve, …), Mark read while unread, Archive. */
function Item({ n, onRead, onArchive, onAction }: { n: Notification; onRead: () => void; onArchive: () => void; onAction: (n: Notification, actionId: string) => Promise<unknown> }) {
  const unread = n.read === false;
  const rowButton = 'shrink-0 rounded p-1 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring';
  return (
    <li data-read={String(!unread)} className="flex items-start gap-3 px-4 py-3">
      <span
        aria-hidden
        className={cn('mt-1.5 h-2 w-2 shrink-0 rounded-full', unread ? 'bg-primary' : 'bg-transparent')}
      />
      <div className="min-w-0 flex-1">
        <p className={cn('break-words text-sm', unread ? 'font-semibold' : 'text-muted-foreground')}>{n.title}</p>
        <p className="line-clamp-2 break-words text-xs text-muted-foreground">{n.message}</p>
        <p className="mt-0.5 text-xs text-muted-foreground">{relativeTime(n.created_at)}</p>
        <ActionChoices n={n} onAction={onAction} />
      </div>
      {unread && (
        <button type="button" onClick={onRead} aria-label={`Mark "${n.title}" read from the bell`} title="Mark read" className={rowButton}>
          <Check className="h-4 w-4" aria-hidden />
        </button>
      )}
      <button type="button" onClick={onArchive} aria-label={`Archive "${n.title}" from the bell`} title="Archive" className={rowButton}>
        <Archive className="h-4 w-4" aria-hidden />
      </button>
    </li>
  );
}
