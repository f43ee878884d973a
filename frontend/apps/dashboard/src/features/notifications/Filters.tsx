import { ChevronDown } from 'lucide-react';
import * as React from 'react';
import { Checkbox } from '@/components/ui/checkbox';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import type { InboxFilters } from './api';
import { PRIORITIES, priorityLabel, typeChoices, typeLabel } from './presentation';

/**
 * The inbox or the archived ones, unread only (in the inbox: archived ones are read), and any number of types and
 * priorities (the API takes each parameter repeated).
 */
export function Filters({ value, onChange, types }: { value: InboxFilters; onChange: (f: InboxFilters) => void; types: string[] }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-2" aria-label="Filters">
      <legend className="sr-only">Filters</legend>
      <div role="group" aria-label="Show" className="mr-2 flex h-9 items-center rounded-md border border-input p-0.5" data-testid="filter-view">
        {([false, true] as const).map((archived) => (
          <button
            key={String(archived)}
            type="button"
            aria-pressed={value.archived === archived}
            onClick={() => onChange({ ...value, archived, unread: false })}
            className={cn(
              'h-full rounded px-3 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
              value.archived === archived ? 'bg-primary text-primary-foreground' : 'text-muted-foreground hover:bg-accent',
            )}
          >
            {archived ? 'Archived' : 'Inbox'}
          </button>
        ))}
      </div>
      {!value.archived && (
        <div className="mr-2 flex h-9 items-center gap-2">
          <Checkbox
            id="filter-unread"
            checked={value.unread}
            onCheckedChange={(checked) => onChange({ ...value, unread: checked === true })}
          />
          <Label htmlFor="filter-unread">Unread only</Label>
        </div>
      )}
      <MultiFilter
        id="filter-type"
        label="Type"
        options={typeChoices(types, value.types)}
        optionLabel={typeLabel}
        value={value.types}
        onChange={(t) => onChange({ ...value, types: t })}
      />
      <MultiFilter
        id="filter-priority"
        label="Priority"
        options={PRIORITIES}
        optionLabel={priorityLabel}
        value={value.priorities}
        onChange={(priorities) => onChange({ ...value, priorities })}
      />
    </fieldset>
  );
}

/**
 * A drop-down of checkboxes on a native <details> (no injected styles, keyboard for free): the summary
 * says what is picked, "All" when nothing is. On a phone the panel spans the screen's width (fixed, below
 * its summary), so it never makes the page scroll sideways.
 */
function MultiFilter<T extends string>(props: {
  id: string;
  label: string;
  options: readonly T[];
  optionLabel: (o: T) => string;
  value: T[];
  onChange: (value: T[]) => void;
}) {
  const ref = React.useRef<HTMLDetailsElement>(null);
  // a click or focus outside closes it, like a menu
  React.useEffect(() => {
    const close = (e: Event) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) {
        ref.current.open = false;
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('focusin', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('focusin', close);
    };
  }, []);
  const picked = props.value.length;
  const summary = picked === 0 ? 'All' : picked === 1 ? props.optionLabel(props.value[0] as T) : `${picked} selected`;
  return (
    <details ref={ref} className="group relative" data-testid={props.id}>
      <summary
        className={cn(
          'flex h-9 cursor-pointer list-none items-center gap-1 rounded-md border border-input bg-background px-3 text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-details-marker]:hidden',
          picked > 0 && 'border-primary',
        )}
      >
        <span className="text-muted-foreground">{props.label}:</span> <span className="font-medium">{summary}</span>
        <ChevronDown className="h-4 w-4 text-muted-foreground transition-transform group-open:rotate-180" aria-hidden />
      </summary>
      <div
        role="group"
        aria-label={props.label}
        className="fixed inset-x-4 z-30 mt-1 grid max-h-72 gap-1 overflow-auto rounded-md border bg-card p-2 shadow-lg sm:absolute sm:inset-x-auto sm:left-0 sm:w-56"
      >
        {props.options.map((o) => {
          const id = `${props.id}-${o}`;
          return (
            <div key={o} className="flex items-center gap-2 rounded px-1 py-1 hover:bg-accent">
              <Checkbox
                id={id}
                checked={props.value.includes(o)}
                onCheckedChange={(on) => props.onChange(on ? [...props.value, o] : props.value.filter((x) => x !== o))}
              />
              <Label htmlFor={id} className="flex-1 cursor-pointer font-normal">
                {props.optionLabel(o)}
              </Label>
            </div>
          );
        })}
        {picked > 0 && (
          <button type="button" className="mt-1 justify-self-start px-1 text-xs font-medium text-primary hover:underline" onClick={() => props.onChange([])}>
            Clear
          </button>
        )}
      </div>
    </details>
  );
}
