import { Bell as BellIcon } from 'lucide-react';
import { Link } from 'react-router-dom';
import { cn } from '@/lib/utils';
import { useUnreadCount } from './hooks';

/** The bell with the live unread badge (kept current by the socket's events). */
export function Bell() {
  const { data } = useUnreadCount();
  const total = data?.total ?? 0;
  const urgent = (data?.by_priority?.['urgent'] ?? 0) > 0;
  const shown = data?.capped ? `${total}+` : total > 99 ? '99+' : String(total);
  const label = total === 0 ? 'No unread notifications' : `${shown} unread notifications${urgent ? ', some urgent' : ''}`;
  return (
    <Link
      to="/"
      aria-label={label}
      title={label}
      className="relative inline-flex h-10 w-10 items-center justify-center rounded-full hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <BellIcon className="h-5 w-5" aria-hidden />
      {total > 0 && (
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
    </Link>
  );
}
