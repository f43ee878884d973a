import type { QuietHours as Window } from '@notify/client';
import { useId, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { problemText, violations } from './problem';
import { usePreferences } from './provider';

type Field = keyof Window;
type FieldA11y = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

/** This browser's IANA time zone: what new quiet hours default to. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The IANA zones this browser knows (with UTC and `keep`, a saved one it may not know), sorted. */
function timeZones(keep: string[]): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...keep])].sort();
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** What is wrong with a window before it is sent (the service checks the same, and the zone). */
function check(q: Window): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!TIME.test(q.start)) {
    errors.start = 'Enter a time such as 22:00';
  }
  if (!TIME.test(q.end)) {
    errors.end = 'Enter a time such as 07:00';
  } else if (q.end === q.start) {
    errors.end = 'Must differ from the start';
  }
  return errors;
}

export interface QuietHoursProps {
  title?: string;
  className?: string;
}

/**
 * The user's quiet hours: from a time until a time (across midnight when earlier) in an IANA time zone (the browser's
 * by default), notifications that are not urgent still arrive and count, without a pop-up. Turn on / save, turn off;
 * what the service refuses is shown at its field (its violations) and above the form (its problem's `detail`).
 */
export function QuietHours({ title = 'Quiet hours', className }: QuietHoursProps) {
  const { preferences, saveQuietHours, clearQuietHours } = usePreferences();
  const saved = preferences?.quiet_hours;
  const [draft, setDraft] = useState<Window | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'cleared'>('idle');
  const id = useId();
  const shown = draft ?? saved ?? { start: '22:00', end: '07:00', timezone: browserTimeZone() };
  const zones = useMemo(() => timeZones([shown.timezone]), [shown.timezone]);
  const edit = (field: Field, value: string) => {
    setDraft({ ...shown, [field]: value });
    setErrors({ ...errors, [field]: undefined });
  };
  const run = async (call: () => Promise<void>, done: 'saved' | 'cleared') => {
    setState('saving');
    setFailure(null);
    try {
      await call();
      setDraft(null);
      setState(done);
    } catch (e) {
      const byField: Partial<Record<Field, string>> = {};
      for (const v of violations(e)) {
        const field = v.field.split('.').pop() as Field;
        if (field === 'start' || field === 'end' || field === 'timezone') {
          byField[field] = v.message;
        }
      }
      setErrors(byField);
      setFailure(problemText(e));
      setState('idle');
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = check(shown);
    setErrors(found);
    if (Object.keys(found).length === 0) {
      void run(() => saveQuietHours(shown), 'saved');
    }
  };
  const field = (name: Field, label: string, control: (a11y: FieldA11y) => ReactElement) => {
    const error = errors[name];
    const a11y: FieldA11y = { id: `${id}-${name}`, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-${name}-error` : undefined };
    return (
      <div className="notify-field">
        <label htmlFor={a11y.id}>{label}</label>
        {control(a11y)}
        {error && (
          <span id={`${id}-${name}-error`} className="notify-field__error">
            {error}
          </span>
        )}
      </div>
    );
  };

  return (
    <form className={`notify-quiet ${className ?? ''}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-about`} noValidate onSubmit={submit}>
      <h3 id={`${id}-title`} className="notify-inbox__title">
        {title}
      </h3>
      <p id={`${id}-about`} className="notify-muted">
        {saved ? `On: ${saved.start} to ${saved.end} (${saved.timezone}). ` : 'Off. '}
        During them notifications still arrive and count, but without a pop-up. Urgent ones always pop up.
      </p>
      {failure && (
        <p className="notify-error" role="alert">
          {failure}
        </p>
      )}
      <div className="notify-quiet__fields">
        {field('start', 'From', (a) => (
          <input {...a} type="time" className="notify-input" value={shown.start} onChange={(e) => edit('start', e.target.value)} />
        ))}
        {field('end', 'Until', (a) => (
          <input {...a} type="time" className="notify-input" value={shown.end} onChange={(e) => edit('end', e.target.value)} />
        ))}
        {field('timezone', 'Time zone', (a) => (
          <select {...a} className="notify-input" value={shown.timezone} onChange={(e) => edit('timezone', e.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        ))}
      </div>
      <div className="notify-prefs__footer">
        <button type="submit" className="notify-button notify-button--primary" disabled={!preferences || state === 'saving'}>
          {saved ? 'Save quiet hours' : 'Turn on quiet hours'}
        </button>
        {saved && (
          <button type="button" className="notify-button" disabled={state === 'saving'} onClick={() => void run(clearQuietHours, 'cleared')}>
            Turn off quiet hours
          </button>
        )}
        <span role="status" className="notify-muted">
          {state === 'saved' ? 'Quiet hours saved' : state === 'cleared' ? 'Quiet hours off' : ''}
        </span>
      </div>
    </form>
  );
}
