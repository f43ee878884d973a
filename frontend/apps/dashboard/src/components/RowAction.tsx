import { Loader2, type LucideIcon } from 'lucide-react';
import type * as React from 'react';
import { Button } from '@/components/ui/button';

/** A list row's action (Cancel, Unfollow, Remove): a small outline button, spinning and disabled while its request runs. */
export function RowAction({
  icon: Icon,
  busy,
  label,
  onClick,
  children,
}: {
  icon: LucideIcon;
  busy: boolean;
  /** the accessible name, naming the row (`Cancel "Standup moved"`) */
  label: string;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <Button type="button" variant="outline" size="sm" className="shrink-0" disabled={busy} aria-label={label} onClick={onClick}>
      {busy ? <Loader2 className="h-3.5 w-3.5 animate-spin" aria-hidden /> : <Icon className="h-3.5 w-3.5" aria-hidden />}
      {children}
    </Button>
  );
}
