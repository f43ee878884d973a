import { useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, Loader2 } from 'lucide-react';
import * as React from 'react';
import { problemMessage, toProblem } from '@/api/problem';
import type { UserPage } from '@/api/types';
import { relativeTime } from '@/lib/time';
import { cn } from '@/lib/utils';
import { audienceLabel } from '@notify/client';
import { fetchDelivery, type DeliveryStats, type SentEntry } from './api';

/** how often the card asks while it is on screen */
export const DELIVERY_POLL_MS = 2000;

const isNotFound = (error: unknown) => toProblem(error).status === 404;

/** true while the element is in the viewport (always true where IntersectionObserver is missing) */
function useInView(ref: React.RefObject<HTMLElement | null>): boolean {
  const [inView, setInView] = React.useState(true);
  React.useEffect(() => {
    const node = ref.current;
    if (!node || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)));
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return inView;
}

const percent = (part: number, whole: number | null) => (whole && whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : null);

function Stat({ id, label, value, detail }: { id: string; label: string; value: React.ReactNode; detail?: React.ReactNode }) {
  return (
    <div className="min-w-0 rounded-md bg-muted/60 px-3 py-2" data-testid={`stat-${id}`}>
      <dt className="truncate text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums leading-tight" data-testid={`stat-${id}-value`}>
        {value}
      </dd>
      {detail && <dd className="truncate text-xs text-muted-foreground">{detail}</dd>}
    </div>
  );
}

function When({ iso }: { iso: string | null }) {
  return iso ? (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  ) : (
    <>—</>
  );
}

/**
 * The live delivery of one sent notification, for its sender: the audience's size, how many users a
 * device acknowledged (and how many sockets), read and clicked, first and last delivery and, for
 * `user`/`users` audiences, who had nothing delivered once the timeout passed. Asks every
 * DELIVERY_POLL_MS while on screen; stops when gone (unmounted, scrolled away, tab hidden).
 */
export function DeliveryStatsCard({ sent, pollMs = DELIVERY_POLL_MS }: { sent: SentEntry; pollMs?: number }) {
  const ref = React.useRef<HTMLElement | null>(null);
  const inView = useInView(ref);
  const qc = useQueryClient();
  const stats = useQuery({
    queryKey: ['delivery', sent.id],
    queryFn: () => fetchDelivery(sent.id),
    staleTime: 0,
    retry: (count, error) => !isNotFound(error) && count < 2,
    refetchInterval: (query) => (inView && !(query.state.error && isNotFound(query.state.error)) ? pollMs : false),
  });
  // names for user ids when the compose form loaded the directory
  const directory = qc.getQueryData<UserPage>(['directory']);
  const nameOf = (id: string) => directory?.users?.find((u) => u.id === id)?.username ?? id;

  const d: DeliveryStats | undefined = stats.data;
  const size = d?.audience_size ?? null;
  const delivered = d?.delivered_users ?? 0;
  const share = d ? percent(delivered, size) : null;
  const audience = audienceLabel(sent.audience ?? d?.audience); // what the sender asked for names the users
  const audienceType = d?.audience?.type ?? sent.audience?.type;
  const userAudience = audienceType === 'user' || audienceType === 'users';

  return (
    <section
      ref={ref}
      aria-labelledby={`delivery-${sent.id}-title`}
      data-testid="delivery-stats"
      data-notification-id={sent.id}
      className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-3 rounded-lg border bg-card p-4 text-card-foreground shadow-sm"
    >
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={`delivery-${sent.id}-title`} className="text-sm font-semibold">
            Delivery
          </h2>
          <p className="truncate text-sm" title={sent.title}>
            {sent.title}
          </p>
          {audience && <p className="truncate text-xs text-muted-foreground">To {audience}</p>}
        </div>
        {stats.isSuccess && (
          <span
            className="inline-flex shrink-0 items-center gap-1.5 text-xs text-muted-foreground"
            title={stats.dataUpdatedAt ? `Updated ${new Date(stats.dataUpdatedAt).toLocaleTimeString()}` : undefined}
          >
            <span className={cn('h-2 w-2 rounded-full', inView ? 'bg-emerald-500 motion-safe:animate-pulse' : 'bg-muted-foreground')} aria-hidden />
            {inView ? 'Live' : 'Paused'}
          </span>
        )}
      </header>

      {stats.isPending ? (
        <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> Loading delivery…
        </p>
      ) : stats.isError && !d ? (
        <p role="alert" className="flex items-start gap-2 text-sm text-muted-foreground" data-testid="delivery-error">
          <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
          {isNotFound(stats.error) ? 'No delivery data for this notification.' : `Delivery could not be loaded: ${problemMessage(toProblem(stats.error))}`}
        </p>
      ) : d ? (
        <>
          <div className="grid gap-1.5">
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <span>
                <span className="font-semibold tabular-nums">{delivered}</span>
                <span className="text-muted-foreground"> of {size ?? '—'} users delivered</span>
              </span>
              <span className="tabular-nums text-muted-foreground" data-testid="delivered-share">{share === null ? '—' : `${share}%`}</span>
            </div>
            {size !== null && (
              <div
                role="progressbar"
                aria-label="Delivered"
                aria-valuemin={0}
                aria-valuemax={size}
                aria-valuenow={Math.min(delivered, size)}
                aria-valuetext={`${delivered} of ${size} users`}
                className="h-2 overflow-hidden rounded-full bg-muted"
              >
                <div
                  className={cn('h-full rounded-full transition-[width] duration-500', share === 100 ? 'bg-emerald-500' : 'bg-primary')}
                  style={{ width: `${share ?? 0}%` }}
                />
              </div>
            )}
          </div>
          <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Stat id="audience" label="Audience" value={size ?? '—'} detail="users" />
            <Stat id="delivered" label="Delivered" value={delivered} detail={`${d.delivered_sockets} ${d.delivered_sockets === 1 ? 'socket' : 'sockets'}`} />
            <Stat id="read" label="Read" value={d.read_users} detail={percent(d.read_users, size) === null ? undefined : `${percent(d.read_users, size)}%`} />
            <Stat id="clicked" label="Clicked" value={d.clicked_users} detail={percent(d.clicked_users, size) === null ? undefined : `${percent(d.clicked_users, size)}%`} />
          </dl>
          <dl className="grid grid-cols-2 gap-2 text-xs">
            {(
              [
                ['first-delivered', 'First delivered', d.first_delivered_at],
                ['last-delivered', 'Last delivered', d.last_delivered_at],
              ] as const
            ).map(([id, label, iso]) => (
              <div key={id}>
                <dt className="text-muted-foreground">{label}</dt>
                <dd data-testid={id}>
                  <When iso={iso} />
                </dd>
              </div>
            ))}
          </dl>
          {userAudience && (d.undelivered_user_ids?.length ?? 0) > 0 && (
            <div className="grid gap-1 rounded-md border border-amber-600/40 bg-amber-500/10 p-2 text-xs" data-testid="undelivered">
              <p className="font-medium text-amber-800 dark:text-amber-300">
                Not delivered to {d.undelivered_user_ids?.length} {d.undelivered_user_ids?.length === 1 ? 'user' : 'users'} within the timeout
              </p>
              <ul className="flex flex-wrap gap-1" aria-label="Undelivered users">
                {d.undelivered_user_ids?.map((id) => (
                  <li key={id} className="max-w-full truncate rounded bg-background px-1.5 py-0.5 font-mono" title={id}>
                    {nameOf(id)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
