import { audienceLabel, cancelFailure, nextLookMs, SCHEDULED_POLL_MAX_MS, type ScheduledSend } from '@notify/client';
import { useCallback, useEffect, useId, useReducer, useState } from 'react';
import { relativeTime } from './Inbox';
import { problemText } from './problem';
import { useNotifyStore } from './provider';

export interface ScheduledSendsState {
  /** the signed-in user's sends with `send_at` not gone out yet, soonest first; null until the first answer */
  sends: ScheduledSend[] | null;
  /** why the last load failed (the service's problem `detail`), null after a good one */
  error: string | null;
  /** cancels one (`DELETE /api/notifications/{id}`): resolves when cancelled, rejects (an ApiError) when refused (409: it went out) */
  cancel: (send: ScheduledSend) => Promise<void>;
  /** looks again now (after a send with `send_at` made on this page) */
  reload: () => void;
}

/**
 * The signed-in user's pending scheduled sends (`GET /api/notifications/scheduled`), kept current: looked at again a
 * second after the soonest is due (a sent one leaves the list on time), at most 30 s apart while any is pending, and
 * after each cancel; not at all while none is (call `reload` after scheduling one).
 */
export function useScheduledSends(): ScheduledSendsState {
  const store = useNotifyStore();
  const [sends, setSends] = useState<ScheduledSend[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [look, reload] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    let gone = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    store.api.scheduled().then(
      (list) => {
        if (!gone) {
          setSends(list);
          setError(null);
          const wait = nextLookMs(list);
          timer = wait === false ? undefined : setTimeout(reload, wait);
        }
      },
      (e: unknown) => {
        if (!gone) {
          setError(problemText(e));
          timer = setTimeout(reload, SCHEDULED_POLL_MAX_MS);
        }
      },
    );
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [store, look]);
  const cancel = useCallback(
    async (send: ScheduledSend) => {
      try {
        await store.api.cancelScheduled(send.id);
        setSends((list) => list?.filter((s) => s.id !== send.id) ?? null);
      } finally {
        reload();
      }
    },
    [store],
  );
  return { sends, error, cancel, reload };
}

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export interface ScheduledSendsProps {
  title?: string;
  emptyText?: string;
  className?: string;
}

/**
 * The signed-in user's pending scheduled sends, soonest first (its title, audience, when: the date and "in 2 hours"),
 * each with a Cancel; what a cancel did is announced ("Cancelled …", or why not: it already went out, it is no longer
 * scheduled, the service's problem).
 */
export function ScheduledSends({ title = 'Scheduled', emptyText = 'Nothing scheduled.', className }: ScheduledSendsProps) {
  const { sends, error, cancel } = useScheduledSends();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; failed: boolean } | null>(null);
  const headingId = useId();
  const press = (send: ScheduledSend) => {
    setBusy(send.id);
    setNotice(null);
    cancel(send)
      .then(
        () => setNotice({ text: `Cancelled “${send.title}”.`, failed: false }),
        (e: unknown) => setNotice({ text: cancelFailure(send, e, problemText), failed: true }),
      )
      .finally(() => setBusy(null));
  };
  return (
    <section className={`notify notify-inbox notify-scheduled ${className ?? ''}`} aria-labelledby={headingId}>
      <header className="notify-inbox__header">
        <h2 id={headingId} className="notify-inbox__title">
          {title}
        </h2>
      </header>
      {notice && (
        <p className={notice.failed ? 'notify-error' : 'notify-notice'} role={notice.failed ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {error && (
        <p className="notify-error" role="alert">
          Scheduled sends could not be loaded: {error}
        </p>
      )}
      {sends === null ? (
        !error && <p className="notify-empty">Loading…</p>
      ) : sends.length === 0 ? (
        <p className="notify-empty">{emptyText}</p>
      ) : (
        <ul className="notify-list" aria-label={title}>
          {sends.map((s) => (
            <li key={s.id} className="notify-item" data-scheduled-id={s.id}>
              <div className="notify-item__head">
                <span className="notify-item__title">{s.title}</span>
                <time className="notify-item__time" dateTime={s.send_at} title={new Date(s.send_at).toLocaleString()}>
                  {relativeTime(s.send_at)}
                </time>
              </div>
              <p className="notify-item__message">{[audienceLabel(s.audience), whenFormat.format(new Date(s.send_at))].filter(Boolean).join(' · ')}</p>
              <div className="notify-item__actions">
                <button type="button" className="notify-button" disabled={busy !== null} aria-busy={busy === s.id || undefined} onClick={() => press(s)}>
                  Cancel<span className="notify-sr"> "{s.title}"</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
