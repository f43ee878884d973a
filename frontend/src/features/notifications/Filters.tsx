import { Checkbox } from '@/components/ui/checkbox';
import { NativeSelect } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import type { InboxFilters } from './api';
import { KNOWN_TYPES, PRIORITIES, typeLabel } from './presentation';

export function Filters({ value, onChange }: { value: InboxFilters; onChange: (f: InboxFilters) => void }) {
  return (
    <fieldset className="flex flex-wrap items-end gap-4" aria-label="Filters">
      <legend className="sr-only">Filters</legend>
      <div className="flex h-10 items-center gap-2">
        <Checkbox
          id="filter-unread"
          checked={value.unread}
          onCheckedChange={(checked) => onChange({ ...value, unread: checked === true })}
        />
        <Label htmlFor="filter-unread">Unread only</Label>
      </div>
      <FilterSelect
        id="filter-type"
        label="Type"
        all="All types"
        options={KNOWN_TYPES}
        value={value.types}
        onChange={(types) => onChange({ ...value, types })}
      />
      <FilterSelect
        id="filter-priority"
        label="Priority"
        all="All priorities"
        options={PRIORITIES}
        value={value.priorities}
        onChange={(priorities) => onChange({ ...value, priorities })}
      />
    </fieldset>
  );
}

/** One value or all of them (the API takes several; one at a time is what people pick). */
function FilterSelect<T extends string>(props: {
  id: string;
  label: string;
  all: string;
  options: readonly T[];
  value: T[];
  onChange: (value: T[]) => void;
}) {
  return (
    <div className="grid gap-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <NativeSelect
        id={props.id}
        className="w-44"
        value={props.value[0] ?? ''}
        onChange={(e) => props.onChange(e.target.value ? [e.target.value as T] : [])}
      >
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {typeLabel(o)}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
