import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as React from 'react';
import { api } from '@/api/client';
import { problemMessage, toProblem } from '@/api/problem';
import { ApiError, type Notification } from '@notify/client';
import { toast } from '@/components/ui/toast';
import { useLive } from '@/features/live/LiveProvider';
import {
  archive,
  completeAction,
  deleteNotification,
  fetchInbox,
  fetchUnreadCount,
  markAllRead,
  markRead,
  markSeen,
  snooze,
  unarchive,
  type InboxFilters,
} from './api';
import { inboxKey, reloadInbox, remove, setAllRead, setAllSeen, setArchived, setCompleted, setRead, unreadKey } from './cache';

export function useInbox(filters: InboxFilters) {
  const live = useLive();
  const query = useInfiniteQuery({
    queryKey: inboxKey(filters),
    queryFn: ({ pageParam }) => fetchInbox(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  // whatever the list shows is "seen": a resume after a reconnect starts after it
  const firstPage = query.data?.pages[0];
  React.useEffect(() => {
    live.noteSeq(Math.max(0, ...(firstPage?.items ?? []).map((n) => n.seq ?? 0)));
  }, [firstPage, live]);
  return query;
}

export function useUnreadCount() {
  return useQuery({ queryKey: unreadKey, queryFn: fetchUnreadCount });
}

/** The bell's badge: unread ones above the user's seen watermark (the unread count before a backend that tells). */
export function useUnseenCount(): number | undefined {
  const { data } = useUnreadCount();
  return data && (data.unseen ?? data.total);
}

/**
 * Marks seen, once, what a view shows when it opens (the bell's popover, the inbox page): one call up to the newest
 * it shows, and none when nothing is unseen. Seen is not read: the unread ones stay unread. Every tab's badge clears
 * (the server pushes `all_seen`); quiet when it fails (the badge stays, nothing else is lost).
 */
export function useMarkSeenWhenShown(shown: Notification[] | undefined, enabled = true) {
  const qc = useQueryClient();
  const unseen = useUnseenCount();
  const done = React.useRef(false);
  React.useEffect(() => {
    if (done.current || !enabled || shown === undefined || unseen === undefined) {
      return;
    }
    done.current = true;
    if (unseen > 0) {
      const newest = Math.max(0, ...shown.map((n) => n.seq ?? 0));
      setAllSeen(qc);
      markSeen(newest > 0 ? newest : undefined)
        .catch(() => undefined)
        .finally(() => void qc.invalidateQueries({ queryKey: unreadKey }));
    }
  }, [shown, unseen, enabled, qc]);
}

function failed(qc: ReturnType<typeof useQueryClient>, what: string) {
  return (error: unknown) => {
    reloadInbox(qc);
    toast({ title: `Could not ${what}`, description: problemMessage(toProblem(error)), variant: 'destructive' });
  };
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (n: Notification) => markRead(n.id as string),
    onMutate: (n) => setRead(qc, n.id as string),
    onError: failed(qc, 'mark it read'),
    // the count asked for while the write was in flight may predate it
    onSettled: () => qc.invalidateQueries({ queryKey: unreadKey }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: markAllRead,
    onSuccess: (result) => setAllRead(qc, result?.read_up_to),
    onError: failed(qc, 'mark all read'),
  });
}

/** Archive (out of the inbox and its counts, read) or unarchive (back in the inbox); every tab follows by the live frames. */
export function useArchive(archived: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (n: Notification) => (archived ? archive : unarchive)(n.id as string),
    onMutate: (n) => setArchived(qc, n.id as string, archived),
    // again once the server has it: the views that gain it reload now
    onSuccess: (_, n) => setArchived(qc, n.id as string, archived),
    onError: failed(qc, archived ? 'archive it' : 'unarchive it'),
    onSettled: () => qc.invalidateQueries({ queryKey: unreadKey }),
  });
}

/** Snooze until a time: out of every view and the counts at once; it comes back unread as a resurfaced live push. */
export function useSnooze() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ n, until }: { n: Notification; until: Date }) => snooze(n.id as string, until),
    onMutate: ({ n }) => remove(qc, n.id as string), // as the live notification_snoozed frame will
    onError: failed(qc, 'snooze it'),
    onSettled: () => qc.invalidateQueries({ queryKey: unreadKey }),
  });
}

/**
 * Presses one of a notification's action buttons: every view shows it done once the server answers (the other tabs by
 * the live frame). Rejects when it failed, for the row to say so; a 409 (another action chosen before, elsewhere)
 * reloads the inbox first, which shows that one.
 */
export function useCompleteAction() {
  const qc = useQueryClient();
  return React.useCallback(
    async (n: Notification, actionId: string) => {
      const id = n.id as string;
      try {
        setCompleted(qc, id, await completeAction(id, actionId));
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          reloadInbox(qc);
        }
        throw error;
      }
    },
    [qc],
  );
}

const UNDO_MS = 5000;

/** Delete with undo: hidden at once, deleted on the server only once the undo window has passed. */
export function useDeleteWithUndo() {
  const qc = useQueryClient();
  return React.useCallback(
    (n: Notification) => {
      const id = n.id as string;
      remove(qc, id);
      let undone = false;
      const timer = setTimeout(() => {
        if (!undone) {
          deleteNotification(id).catch(failed(qc, 'delete it'));
        }
      }, UNDO_MS);
      toast({
        title: 'Notification deleted',
        description: n.title,
        duration: UNDO_MS,
        action: {
          label: 'Undo',
          onClick: () => {
            undone = true;
            clearTimeout(timer);
            reloadInbox(qc);
          },
        },
      });
    },
    [qc],
  );
}

/**
 * Display names of the senders the reader may see in the directory (`GET /api/auth/users`: an admin
 * sees everyone, a user their own company), by username. The inbox only carries the sender's
 * username; a sender outside the reader's view keeps showing as that username.
 */
export function useSenderNames(): Map<string, string> {
  const directory = useQuery({
    queryKey: ['directory', 'names'],
    queryFn: () => api.users({ limit: 200 }),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return React.useMemo(
    () =>
      new Map(
        (directory.data?.users ?? [])
          .filter((u) => u.username && u.display_name)
          .map((u) => [u.username as string, u.display_name as string]),
      ),
    [directory.data],
  );
}
