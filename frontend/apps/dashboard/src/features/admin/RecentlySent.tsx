import { BarChart3 } from 'lucide-react';
import { relativeTime } from '@/lib/time';
import { cn } from '@/lib/utils';
import { audienceLabel } from '@notify/client';
import type { SentEntry } from './api';

/** This session's sends, newest first: picking one shows its delivery. */
export function RecentlySent({ entries, selected, onSelect }: { entries: SentEntry[]; selected?: string; onSelect: (id: string) => void }) {
  if (entries.length === 0) {
    return null;
  }
  return (
    <section aria-labelledby="recently-sent-title" className="grid content-start gap-2" data-testid="recently-sent">
      <h2 id="recently-sent-title" className="text-sm font-medium text-muted-foreground">
        Recently sent
      </h2>
      <ul className="grid divide-y overflow-hidden rounded-lg border bg-card">
        {entries.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              onClick={() => onSelect(e.id)}
              aria-current={e.id === selected ? 'true' : undefined}
              className={cn(
                'flex w-full items-center gap-3 px-3 py-2 text-left text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring',
                e.id === selected && 'bg-accent',
              )}
            >
              <BarChart3 className="h-4 w-4 shrink-0 text-muted-foreground" aria-hidden />
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{e.title}</span>
                <span className="block truncate text-xs text-muted-foreground">
                  {[audienceLabel(e.audience), relativeTime(e.sent_at)].filter(Boolean).join(' · ')}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
