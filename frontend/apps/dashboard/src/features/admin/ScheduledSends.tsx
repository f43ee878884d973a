import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CalendarClock, X } from 'lucide-react';
import * as React from 'react';
import { api } from '@/api/client';
import { problemMessage, toProblem } from '@/api/problem';
import { audienceLabel, cancelFailure, nextLookMs, type ScheduledSend } from '@notify/client';
import { RowAction } from '@/components/RowAction';
import { relativeTime } from '@/lib/time';

export const SCHEDULED_KEY = ['scheduled'] as const;

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const formatWhen = (iso: string) => whenFormat.format(new Date(iso));

/** "in 5 minutes", or "in a moment" where relativeTime would say "just now" of the future */
function untilText(iso: string): string {
  const text = relativeTime(iso);
  return text === 'just now' ? (new Date(iso).getTime() > Date.now() ? 'in a moment' : 'due now') : text;
}

/**
 * The sender's pending scheduled sends (`GET /api/notifications/scheduled`), soonest first, each with
 * a Cancel (`DELETE /api/notifications/{id}`). Hidden while there is nothing to show.
 */
export function ScheduledSends() {
  const qc = useQueryClient();
  const [notice, setNotice] = React.useState<string | null>(null);
  const scheduled = useQuery({
    queryKey: SCHEDULED_KEY,
    queryFn: () => api.scheduled(),
    staleTime: 0,
    refetchInterval: (query) => nextLookMs(query.state.data),
  });
  const cancel = useMutation({
    mutationFn: (s: ScheduledSend) => api.cancelScheduled(s.id),
    onMutate: () => setNotice(null),
    onSuccess: (_, s) => {
      qc.setQueryData<ScheduledSend[]>(SCHEDULED_KEY, (list) => list?.filter((x) => x.id !== s.id));
      setNotice(`Cancelled “${s.title}”.`);
    },
    onError: (error, s) => setNotice(cancelFailure(s, error, (e) => problemMessage(toProblem(e)))),
    onSettled: () => qc.invalidateQueries({ queryKey: SCHEDULED_KEY }),
  });

  const pending = scheduled.data ?? [];
  const failed = cancel.isError;
  if (pending.length === 0 && !notice && !scheduled.isError) {
    return null;
  }
  return (
    <section aria-labelledby="scheduled-title" className="grid min-w-0 grid-cols-[minmax(0,1fr)] content-start gap-2" data-testid="scheduled-sends">
      <h2 id="scheduled-title" className="text-sm font-medium text-muted-foreground">
        Scheduled
      </h2>
      {notice && (
        <p
          role={failed ? 'alert' : 'status'}
          data-testid="scheduled-notice"
          className={
            failed
              ? 'rounded-md border border-amber-600/40 bg-amber-500/10 p-2 text-sm text-amber-800 dark:text-amber-300'
              : 'text-sm text-muted-foreground'
          }
        >
          {notice}
        </p>
      )}
      {scheduled.isError && (
        <p role="alert" className="text-sm text-destructive">
          Scheduled sends could not be loaded: {problemMessage(toProblem(scheduled.error))}
        </p>
      )}
      {pending.length > 0 && (
        <ul className="grid grid-cols-[minmax(0,1fr)] divide-y overflow-hidden rounded-lg border bg-card text-card-foreground" aria-label="Scheduled sends">
          {pending.map((s) => {
            const busy = cancel.isPending && cancel.variables?.id === s.id;
            return (
              <li key={s.id} className="flex items-center gap-3 px-3 py-2 text-sm" data-scheduled-id={s.id}>
                <CalendarClock className="h-4 w-4 shrink-0 text-muted-foreground" aria-hidden />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium" title={s.title}>
                    {s.title}
                  </span>
                  <span className="block truncate text-xs text-muted-foreground">
                    {[audienceLabel(s.audience), formatWhen(s.send_at)].filter(Boolean).join(' · ')}
                    {' · '}
                    <time dateTime={s.send_at}>{untilText(s.send_at)}</time>
                  </span>
                </span>
                <RowAction icon={X} busy={busy} label={`Cancel "${s.title}"`} onClick={() => cancel.mutate(s)}>
                  Cancel
                </RowAction>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
