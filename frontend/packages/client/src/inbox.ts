import type { ActionCompletion } from './protocol.gen';
import type { Notification } from './rest';
import type { LiveEvent } from './socket';

/**
 * What a live event does to an inbox as a client holds it, as pure functions over its loaded pages
 * (newest first: @notify/react's store holds one page, the dashboard an infinite list's pages per
 * filter). Every holder applies an event through these, so the dashboard and the embeddable
 * components cannot drift apart; what the holder keeps beside the pages (caches, counters, toasts)
 * stays its own, told by `follow`.
 */
export type InboxPages = Notification[][];

export interface InboxView {
  /** whether a new notification belongs in this view (its filters); default: every one does */
  accepts?: (n: Notification) => boolean;
  /** how many notifications the first page keeps when live ones arrive (the oldest drop off); default: all */
  limit?: number;
  /** the archived ones (`?archived=true`) instead of the inbox: new ones never belong here, archives and unarchives move in and out */
  archived?: boolean;
}

/**
 * What the holder does beyond its pages: `none`; `count`: ask the server for the unread count (the
 * event may touch notifications beyond the loaded pages); `reload`: the inbox again over REST (a resync,
 * or preferences that hide or show whole types); `token`: a fresh token first (the user's company or
 * roles changed), then reload.
 */
export type FollowUp = 'none' | 'count' | 'reload' | 'token';

export interface InboxChange {
  /** the pages after the event (the same array when it changed nothing) */
  pages: InboxPages;
  /** the change to the unread count as far as the pages tell: +1 for a new unread one, minus what it made read or removed */
  unread: number;
  /**
   * the change to the unseen count (the bell's badge: unread ones above the user's seen watermark) as far
   * as the event tells: +1 for a new unread one; what reads, removals and `all_seen` take off is the
   * server's to say (`follow` is `count` for them)
   */
  unseen: number;
  follow: FollowUp;
}

const unchanged = (pages: InboxPages, follow: FollowUp): InboxChange => ({ pages, unread: 0, unseen: 0, follow });

const bySeq = (a: Notification, b: Notification) => (b.seq ?? 0) - (a.seq ?? 0);

export function holds(pages: InboxPages, id: string | undefined): boolean {
  return pages.some((page) => page.some((n) => n.id === id));
}

/** `n` on the first page in seq order, unless the view holds it already (a redelivery) or does not accept it. */
export function prepend(pages: InboxPages, n: Notification, view: InboxView = {}): InboxChange {
  if (holds(pages, n.id) || view.archived || !(view.accepts?.(n) ?? true)) {
    return unchanged(pages, 'none');
  }
  const [first = [], ...rest] = pages;
  const grown = [n, ...first].sort(bySeq);
  const kept = view.limit === undefined ? grown : grown.slice(0, Math.max(view.limit, first.length));
  const unread = n.read ? 0 : 1;
  return { pages: [kept, ...rest], unread, unseen: unread, follow: 'none' };
}

/** The notifications `which` selects marked read; reads may reach beyond the pages, so the count is asked for. */
export function markRead(pages: InboxPages, which: (n: Notification) => boolean): InboxChange {
  let newlyRead = 0;
  const next = pages.map((page) => page.map((n) => (which(n) && !n.read ? (newlyRead++, { ...n, read: true }) : n)));
  return { pages: newlyRead ? next : pages, unread: 0 - newlyRead, unseen: 0, follow: 'count' };
}

/** Selects one notification by id. */
export const withId =
  (id: string) =>
  (n: Notification): boolean =>
    n.id === id;

/** Selects what a read-all up to `upTo` covers (everything when the server did not say). */
export const upTo =
  (seq: number | undefined) =>
  (n: Notification): boolean =>
    seq === undefined || (n.seq ?? 0) <= seq;

export function removeOne(pages: InboxPages, id: string): InboxChange {
  const gone = pages.flat().find((n) => n.id === id);
  if (!gone) {
    return unchanged(pages, 'count');
  }
  return { pages: pages.map((page) => page.filter((n) => n.id !== id)), unread: gone.read ? 0 : -1, unseen: 0, follow: 'count' };
}

/**
 * The action the reader completed, recorded on the notification (`completed_action`) wherever the pages hold it; the
 * first completion stands (a later answer naming another is the server's 409, never shown over it). Counts stay.
 */
export function completeAction(pages: InboxPages, id: string, completion: ActionCompletion): InboxChange {
  if (!pages.some((page) => page.some((n) => n.id === id && !n.completed_action))) {
    return unchanged(pages, 'none');
  }
  const next = pages.map((page) => page.map((n) => (n.id === id && !n.completed_action ? { ...n, completed_action: completion } : n)));
  return { pages: next, unread: 0, unseen: 0, follow: 'none' };
}

/**
 * A snoozed notification back, unread (a `notification` frame with `resurfaced`): in place of what the pages
 * may still hold of it (a tab that missed the snooze), never in the archive.
 */
export function resurface(pages: InboxPages, n: Notification, view: InboxView = {}): InboxChange {
  if (!holds(pages, n.id)) {
    return prepend(pages, n, view);
  }
  const gone = removeOne(pages, n.id);
  const back = prepend(gone.pages, n, view);
  return { pages: back.pages, unread: gone.unread + back.unread, unseen: back.unseen, follow: 'count' };
}

/** One live event applied to one view of the inbox. */
export function applyLiveEvent(pages: InboxPages, event: LiveEvent, view: InboxView = {}): InboxChange {
  switch (event.type) {
    case 'notification':
      return event.resurfaced ? resurface(pages, event.payload, view) : prepend(pages, event.payload, view);
    case 'notification_read':
      return markRead(pages, withId(event.notification_id));
    case 'all_read':
      return markRead(pages, upTo(event.read_up_to));
    case 'notification_deleted':
      return removeOne(pages, event.notification_id);
    case 'notification_archived':
      // out of the inbox (and its counts) like a delete; an archived view has it now, where in its order only the server knows
      return view.archived ? unchanged(pages, 'reload') : removeOne(pages, event.notification_id);
    case 'notification_unarchived':
      // back in the inbox (read, so the counts stay) at its place among the pages: the server's to tell
      return view.archived ? { ...removeOne(pages, event.notification_id), unread: 0, follow: 'none' } : unchanged(pages, 'reload');
    case 'notification_snoozed':
      // out of the list and the counts until it comes back (a `notification` frame with `resurfaced`)
      return removeOne(pages, event.notification_id);
    case 'notification_unsnoozed':
      // back before its time, as it was, at its place: the server's to tell
      return unchanged(pages, 'reload');
    case 'action_completed':
      // this user pressed one of its buttons, in this tab or another: done, the others no longer offered
      return completeAction(pages, event.notification_id, { action_id: event.action_id, completed_at: event.completed_at });
    case 'subscription_changed':
      // following a topic brings only what is sent to it from now on; unfollowing takes its notifications out of the
      // inbox and its counts, wherever they are among the pages: the server's to tell
      return unchanged(pages, event.subscribed ? 'none' : 'reload');
    case 'all_seen':
      // seen is not read: the pages stay, the badge is the server's unseen count
      return unchanged(pages, 'count');
    case 'preferences_updated':
    case 'resync':
      return unchanged(pages, 'reload');
    case 'identity_changed':
      return unchanged(pages, 'token');
  }
}

/** What an event asks of the holder of the inbox (not an archived view) beyond the pages, whatever they hold. */
export const followUp = (event: LiveEvent): FollowUp => applyLiveEvent([], event).follow;
