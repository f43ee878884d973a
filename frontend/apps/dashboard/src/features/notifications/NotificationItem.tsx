import { AlarmClock, Archive, ArchiveRestore, Check, CircleCheck, ExternalLink, Loader2, Trash2 } from 'lucide-react';
import { snoozeChoices, type ActionButton, type Notification } from '@notify/client';
import { useActionChoices } from '@notify/react';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { useLive } from '@/features/live/LiveProvider';
import { relativeTime } from '@/lib/time';
import { cn } from '@/lib/utils';
import { priorityStyle, typeIcon, typeLabel } from './presentation';

interface Props {
  notification: Notification;
  onMarkRead?: (n: Notification) => void;
  onDelete?: (n: Notification) => void;
  /** archive it (in the inbox) or unarchive it (in the archived view: `archived`) */
  onArchive?: (n: Notification) => void;
  archived?: boolean;
  /** snooze it until then (out of the inbox and its counts; back unread at that time) */
  onSnooze?: (n: Notification, until: Date) => void;
  /** one of its action buttons pressed: resolves once the server recorded it, rejects when it did not */
  onAction?: (n: Notification, actionId: string) => Promise<unknown>;
  /** the sender's display name, when the directory knows it (else the username is shown) */
  senderName?: string;
  /** preview mode (admin compose): no actions */
  preview?: boolean;
}

/** Low, high and urgent get a word; normal gets nothing (most notifications are normal). */
export function PriorityBadge({ priority }: { priority: Notification['priority'] }) {
  const style = priorityStyle[priority ?? 'normal'];
  if (!style) {
    return null;
  }
  return (
    <span
      className={cn('inline-flex items-center rounded px-1.5 text-xs font-medium leading-5', style.badge)}
      data-priority={priority}
    >
      {style.label}
    </span>
  );
}

const ACTION_VARIANT = { primary: 'default', secondary: 'outline', danger: 'destructive' } as const;
const variantOf = (style: ActionButton['style']) => ACTION_VARIANT[style] ?? 'outline';

/**
 * The notification's own buttons (Approve, Reject, …) until the reader pressed one, then which one and when. A press
 * disables them until the server answers; a failure is announced in the row (a 409 names the one chosen before).
 * The inbox's rows and the bell's show them.
 */
export function ActionChoices({ n, onAction }: { n: Notification; onAction?: Props['onAction'] }) {
  const { done, buttons, pressed, announce, failure, press } = useActionChoices(n, onAction);
  if (!done && buttons.length === 0) {
    return null;
  }
  return (
    <>
      {done ? (
        <p
          className="mt-2 inline-flex flex-wrap items-center gap-1 text-xs font-medium text-green-700 dark:text-green-400"
          data-testid="action-done"
          data-action-id={done.id}
          role={announce ? 'status' : undefined}
        >
          <CircleCheck className="h-3.5 w-3.5" aria-hidden />
          <span className="sr-only">Done: </span>
          {done.label}
          <span aria-hidden>·</span>
          <time className="font-normal text-muted-foreground" dateTime={done.completedAt} title={new Date(done.completedAt).toLocaleString()}>
            {relativeTime(done.completedAt)}
          </time>
        </p>
      ) : (
        <div className="mt-2 flex flex-wrap gap-2" data-testid="action-buttons">
          {buttons.map((a) => (
            <Button
              key={a.id}
              size="sm"
              variant={variantOf(a.style)}
              disabled={!onAction || pressed !== null}
              aria-busy={pressed === a.id || undefined}
              onClick={() => press(a.id)}
            >
              {pressed === a.id && <Loader2 className="h-3.5 w-3.5 animate-spin" aria-hidden />}
              {a.label}
              <span className="sr-only"> "{n.title}"</span>
            </Button>
          ))}
        </div>
      )}
      {failure && (
        <p className="mt-1 text-xs text-destructive" role="alert">
          {failure}
        </p>
      )}
    </>
  );
}

/**
 * One row of the inbox: a dot and bold title while unread, the type's icon, message, who sent it,
 * when, the link, and the actions, which stay on screen at any width.
 */
export function NotificationItem({ notification: n, onMarkRead, onDelete, onArchive, archived, onSnooze, onAction, senderName, preview }: Props) {
  const Icon = typeIcon(n.type);
  const priority = n.priority ?? 'normal';
  const urgent = priority === 'urgent';
  const titleId = `n-${n.id ?? 'preview'}-title`;
  const { clicked } = useLive();
  const open = () => {
    if (preview || !n.id) {
      return;
    }
    clicked(n.id); // engagement: the sender's delivery stats count who opened it
    if (!n.read) {
      onMarkRead?.(n);
    }
  };
  return (
    <article
      aria-labelledby={titleId}
      data-testid="notification"
      data-read={n.read ? 'true' : 'false'}
      data-priority={priority}
      className={cn('flex items-start gap-3 px-3 py-3 sm:px-4', !n.read && 'bg-primary/[0.04]')}
    >
      <span
        aria-hidden
        data-testid="unread-dot"
        className={cn('mt-2 h-2 w-2 shrink-0 rounded-full', n.read ? 'bg-transparent' : 'bg-primary')}
      />
      <div
        className={cn(
          'hidden h-9 w-9 shrink-0 items-center justify-center rounded-full sm:flex',
          urgent ? 'bg-red-700 text-white' : 'bg-secondary text-secondary-foreground',
        )}
      >
        <Icon className="h-4 w-4" aria-hidden />
      </div>
      <div className="min-w-0 flex-1">
        <div className="break-words text-sm">
          <h3 id={titleId} className={cn('inline', n.read ? 'font-normal text-muted-foreground' : 'font-semibold')}>
            {!n.read && <span className="sr-only">Unread: </span>}
            {n.title}
          </h3>{' '}
          <PriorityBadge priority={priority} />
        </div>
        <p className="mt-0.5 line-clamp-3 whitespace-pre-line break-words text-sm text-muted-foreground">{n.message}</p>
        <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          <span>{typeLabel(n.type)}</span>
          {n.sender && (
            <>
              <span aria-hidden>·</span>
              <span data-testid="sender">from {senderName ?? n.sender}</span>
            </>
          )}
          {n.created_at && (
            <>
              <span aria-hidden>·</span>
              <time dateTime={n.created_at} title={new Date(n.created_at).toLocaleString()}>
                {relativeTime(n.created_at)}
              </time>
            </>
          )}
          {n.link && (
            <a
              href={n.link}
              className="ml-1 inline-flex items-center gap-1 font-medium text-primary underline-offset-2 hover:underline"
              onClick={open}
              onAuxClick={(e) => e.button === 1 && open()}
              {...(/^https?:/.test(n.link) ? { target: '_blank', rel: 'noreferrer' } : {})}
            >
              Open <ExternalLink className="h-3 w-3" aria-hidden />
            </a>
          )}
        </div>
        <ActionChoices n={n} onAction={preview ? undefined : onAction} />
      </div>
      {!preview && (
        <div className="-my-1 flex shrink-0 items-center gap-0.5">
          {!n.read && (
            <Button variant="ghost" size="icon" className="h-9 w-9" aria-label={`Mark "${n.title}" read`} title="Mark read" onClick={() => onMarkRead?.(n)}>
              <Check className="h-4 w-4" aria-hidden />
            </Button>
          )}
          {onArchive && (
            <Button
              variant="ghost"
              size="icon"
              className="h-9 w-9"
              aria-label={`${archived ? 'Unarchive' : 'Archive'} "${n.title}"`}
              title={archived ? 'Back to the inbox' : 'Archive'}
              onClick={() => onArchive(n)}
            >
              {archived ? <ArchiveRestore className="h-4 w-4" aria-hidden /> : <Archive className="h-4 w-4" aria-hidden />}
            </Button>
          )}
          {onSnooze && (
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="ghost" size="icon" className="h-9 w-9" aria-label={`Snooze "${n.title}"`} title="Snooze">
                  <AlarmClock className="h-4 w-4" aria-hidden />
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="end">
                <DropdownMenuLabel>Snooze until</DropdownMenuLabel>
                {snoozeChoices().map((choice) => (
                  <DropdownMenuItem key={choice.label} onSelect={() => onSnooze(n, choice.until)}>
                    {choice.label}
                  </DropdownMenuItem>
                ))}
              </DropdownMenuContent>
            </DropdownMenu>
          )}
          <Button variant="ghost" size="icon" className="h-9 w-9" aria-label={`Delete "${n.title}"`} title="Delete" onClick={() => onDelete?.(n)}>
            <Trash2 className="h-4 w-4" aria-hidden />
          </Button>
        </div>
      )}
    </article>
  );
}
