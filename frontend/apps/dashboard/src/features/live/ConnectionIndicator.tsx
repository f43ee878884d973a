import { Loader2, Wifi, WifiOff } from 'lucide-react';
import { cn } from '@/lib/utils';
import { useLive } from './LiveProvider';

const look = {
  connected: { label: 'Live', Icon: Wifi, className: 'text-emerald-700 dark:text-emerald-400', dot: 'bg-emerald-500' },
  connecting: { label: 'Connecting…', Icon: Loader2, className: 'text-muted-foreground', dot: 'bg-slate-400' },
  reconnecting: { label: 'Reconnecting…', Icon: Loader2, className: 'text-amber-700 dark:text-amber-400', dot: 'bg-amber-500' },
  offline: { label: 'Offline', Icon: WifiOff, className: 'text-red-700 dark:text-red-400', dot: 'bg-red-500' },
} as const;

export function ConnectionIndicator() {
  const { status } = useLive();
  const { label, Icon, className, dot } = look[status];
  return (
    <span
      role="status"
      data-testid="connection"
      data-status={status}
      className={cn('inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium', className)}
    >
      <span className={cn('h-2 w-2 rounded-full', dot)} aria-hidden />
      <Icon className={cn('h-3.5 w-3.5', status !== 'connected' && status !== 'offline' && 'animate-spin')} aria-hidden />
      <span>
        <span className="sr-only">Connection: </span>
        {label}
      </span>
    </span>
  );
}
