import { useCallback, useId, useRef, useState } from 'react';
import { Inbox, type InboxProps } from './Inbox';
import { useNotifications, useUnseenCount } from './provider';
import { usePopover } from './popover';

export interface NotificationBellProps extends InboxProps {
  /** the button's accessible name (the count of new ones is added) and the popover's */
  label?: string;
}

/**
 * A bell button with the count of new notifications (unread ones not seen yet) and a popover inbox;
 * opening it marks what it shows seen (the badge clears, the unread ones stay unread), in every tab. The button says whether the popover is open
 * (aria-expanded, aria-controls); opening moves focus into it; Escape, or a click outside, closes it and
 * Escape returns focus to the button. No inline styles: it works under `style-src 'self'`.
 */
export function NotificationBell({ label = 'Notifications', className, ...inbox }: NotificationBellProps) {
  const unseen = useUnseenCount();
  const { markSeen } = useNotifications();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const panelId = `${useId()}-inbox`;
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  usePopover(open, close, { root, button, panel });

  return (
    <div className={`notify notify-bell ${className ?? ''}`} ref={root}>
      <button
        type="button"
        ref={button}
        className="notify-bell__button"
        aria-label={unseen > 0 ? `${label}, ${unseen} new` : label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          if (!open) {
            void markSeen();
          }
          setOpen(!open);
        }}
      >
        <svg className="notify-bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unseen > 0 && (
          <span className="notify-badge" data-testid="notify-badge" aria-hidden="true">
            {unseen > 99 ? '99+' : unseen}
          </span>
        )}
      </button>
      <div id={panelId} ref={panel} className="notify-popover" role="dialog" aria-label={label} tabIndex={-1} hidden={!open}>
        {open && <Inbox {...inbox} />}
      </div>
    </div>
  );
}
