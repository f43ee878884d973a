import { snoozeChoices, type Notification } from '@notify/client';
import { useEffect, useId, useReducer } from 'react';
import { useActionChoices } from './actions';
import { useConnection, useNotifications, useUnreadCount } from './provider';

const STATUS = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "now" in the reader's language. */
export function relativeTime(iso: string | undefined, now = Date.now()): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) {
    return '';
  }
  const seconds = Math.round((at - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}

/**
 * The notification's action buttons (Approve, Reject, …) until the reader pressed one, then which one and when. A press
 * disables them until the server answers; a failure is announced (a 409 shows the action chosen before, reloaded).
 */
function Choices({ n, title }: { n: Notification; title: string }) {
  const { completeAction } = useNotifications();
  const { done, buttons, pressed, announce, failure, press } = useActionChoices(n, (x, actionId) => completeAction(x.id ?? '', actionId));
  if (!done && buttons.length === 0) {
    return null;
  }
  return (
    <>
      {done ? (
        <p className="notify-item__done" data-action-id={done.id} role={announce ? 'status' : undefined}>
          <span aria-hidden="true">✓ </span>
          <span className="notify-sr">Done: </span>
          {done.label}
          <span aria-hidden="true"> · </span>
          <time dateTime={done.completedAt} title={new Date(done.completedAt).toLocaleString()}>
            {relativeTime(done.completedAt)}
          </time>
        </p>
      ) : (
        <div className="notify-item__choices">
          {buttons.map((a) => (
            <button
              key={a.id}
              type="button"
              className={`notify-button notify-button--${a.style ?? 'secondary'}`}
              disabled={pressed !== null}
              aria-busy={pressed === a.id || undefined}
              onClick={() => press(a.id)}
            >
              {a.label}
              <span className="notify-sr"> "{title}"</span>
            </button>
          ))}
        </div>
      )}
      {failure && (
        <p className="notify-error notify-item__failure" role="alert">
          {failure}
        </p>
      )}
    </>
  );
}

function Item({ n }: { n: Notification }) {
  const { markRead, remove, archive, snooze, clicked } = useNotifications();
  const titleId = useId();
  const title = n.title ?? 'Notification';
  const id = n.id ?? '';
  return (
    <li className="notify-item" data-unread={n.read ? undefined : ''}>
      <article aria-labelledby={titleId} data-priority={n.priority}>
        <div className="notify-item__head">
          {!n.read && <span className="notify-dot" aria-hidden="true" />}
          <h3 id={titleId} className="notify-item__title">
            {!n.read && <span className="notify-sr">Unread: </span>}
            {n.link ? (
              <a href={n.link} onClick={() => clicked(id)}>
                {title}
              </a>
            ) : (
              title
            )}
          </h3>
          <time className="notify-item__time" dateTime={n.created_at} title={n.created_at ? new Date(n.created_at).toLocaleString() : undefined}>
            {relativeTime(n.created_at)}
          </time>
        </div>
        {n.message && <p className="notify-item__message">{n.message}</p>}
        <Choices n={n} title={title} />
        <div className="notify-item__actions">
          {!n.read && (
            <button type="button" className="notify-button" onClick={() => void markRead(id)}>
              Mark read<span className="notify-sr"> "{title}"</span>
            </button>
          )}
          <button type="button" className="notify-button" onClick={() => void archive(id)}>
            Archive<span className="notify-sr"> "{title}"</span>
          </button>
          <details className="notify-menu">
            <summary className="notify-button">
              Snooze<span className="notify-sr"> "{title}"</span>
            </summary>
            <div className="notify-menu__items">
              {snoozeChoices().map((choice) => (
                <button key={choice.label} type="button" className="notify-button" onClick={() => void snooze(id, choice.until)}>
                  {choice.label}
                  <span className="notify-sr"> (snooze "{title}")</span>
                </button>
              ))}
            </div>
          </details>
          <button type="button" className="notify-button notify-button--danger" onClick={() => void remove(id)}>
            Delete<span className="notify-sr"> "{title}"</span>
          </button>
        </div>
      </article>
    </li>
  );
}

export interface InboxProps {
  title?: string;
  emptyText?: string;
  className?: string;
}

/** The newest notifications, live: unread marked, mark read, mark all read, archive, snooze, delete. */
export function Inbox({ title = 'Notifications', emptyText = 'You are all caught up.', className }: InboxProps) {
  const { items, loaded, error, markAllRead } = useNotifications();
  const unread = useUnreadCount();
  const status = useConnection();
  const headingId = useId();
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, 60_000); // "5 minutes ago" moves on
    return () => clearInterval(timer);
  }, []);
  return (
    <section className={`notify notify-inbox ${className ?? ''}`} aria-labelledby={headingId}>
      <header className="notify-inbox__header">
        <h2 id={headingId} className="notify-inbox__title">
          {title}
        </h2>
        <span className="notify-status" data-status={status}>
          {STATUS[status]}
        </span>
        <button type="button" className="notify-button" disabled={unread === 0} onClick={() => void markAllRead()}>
          Mark all read
        </button>
      </header>
      {error && (
        <p className="notify-error" role="alert">
          {error}
        </p>
      )}
      {!loaded ? (
        <p className="notify-empty">Loading…</p>
      ) : items.length === 0 ? (
        <p className="notify-empty">{emptyText}</p>
      ) : (
        <ul className="notify-list">
          {items.map((n) => (
            <Item key={n.id} n={n} />
          ))}
        </ul>
      )}
    </section>
  );
}
