import { Check, ExternalLink, Trash2 } from 'lucide-react';
import type { Notification } from '@/api/types';
import { Button } from '@/components/ui/button';
import { useLive } from '@/features/live/LiveProvider';
import { relativeTime } from '@/lib/time';
import { cn } from '@/lib/utils';
import { priorityStyle, typeIcon, typeLabel } from './presentation';

interface Props {
  notification: Notification;
  onMarkRead?: (n: Notification) => void;
  onDelete?: (n: Notification) => void;
  /** preview mode (admin compose): no actions */
  preview?: boolean;
}

export function PriorityBadge({ priority }: { priority: Notification['priority'] }) {
  const style = priorityStyle[priority ?? 'normal'];
  return (
    <span
      className={cn('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold uppercase tracking-wide', style.badge)}
      data-priority={priority ?? 'normal'}
    >
      {style.label}
    </span>
  );
}

export function NotificationItem({ notification: n, onMarkRead, onDelete, preview }: Props) {
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
      className={cn(
        'relative flex gap-3 overflow-hidden rounded-lg border bg-card p-4 pl-5 transition-colors',
        !n.read && 'bg-primary/5',
        urgent && 'border-red-600 ring-1 ring-red-600/40',
      )}
    >
      <span aria-hidden className={cn('absolute inset-y-0 left-0 w-1.5', priorityStyle[priority].bar)} />
      <div
        className={cn(
          'mt-0.5 flex h-9 w-9 shrink-0 items-center justify-center rounded-full',
          urgent ? 'bg-red-600 text-white' : 'bg-secondary text-secondary-foreground',
        )}
      >
        <Icon className="h-5 w-5" aria-hidden />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          {!n.read && (
            <span className="h-2 w-2 rounded-full bg-primary" aria-hidden>
              <span className="sr-only">Unread</span>
            </span>
          )}
          <h3 id={titleId} className={cn('truncate text-sm', n.read ? 'font-medium' : 'font-semibold')}>
            {!n.read && <span className="sr-only">Unread: </span>}
            {n.title}
          </h3>
          <PriorityBadge priority={priority} />
          <span className="text-xs text-muted-foreground">{typeLabel(n.type)}</span>
        </div>
        <p className="mt-1 whitespace-pre-line break-words text-sm text-muted-foreground">{n.message}</p>
        <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
          {n.sender && <span>from {n.sender}</span>}
          {n.created_at && (
            <time dateTime={n.created_at} title={new Date(n.created_at).toLocaleString()}>
              {relativeTime(n.created_at)}
            </time>
          )}
          {n.link && (
            <a
              href={n.link}
              className="inline-flex items-center gap-1 font-medium text-primary hover:underline"
              onClick={open}
              onAuxClick={(e) => e.button === 1 && open()}
              {...(/^https?:/.test(n.link) ? { target: '_blank', rel: 'noreferrer' } : {})}
            >
              Open <ExternalLink className="h-3 w-3" aria-hidden />
            </a>
          )}
        </div>
      </div>
      {!preview && (
        <div className="flex shrink-0 flex-col gap-1 sm:flex-row sm:items-start">
          {!n.read && (
            <Button variant="ghost" size="icon" aria-label={`Mark "${n.title}" read`} title="Mark read" onClick={() => onMarkRead?.(n)}>
              <Check className="h-4 w-4" aria-hidden />
            </Button>
          )}
          <Button variant="ghost" size="icon" aria-label={`Delete "${n.title}"`} title="Delete" onClick={() => onDelete?.(n)}>
            <Trash2 className="h-4 w-4" aria-hidden />
          </Button>
        </div>
      )}
    </article>
  );
}
