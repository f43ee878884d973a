import { useId, useState, type FormEvent } from 'react';
import { usePreferences } from './provider';
import { QuietHours } from './QuietHours';

/** The types the platform knows (ARCHITECTURE.md); the user's preferences may name others too. */
export const KNOWN_TYPES = ['general', 'meeting', 'action_item', 'approval', 'info', 'warning', 'error', 'success'];
const label = (type: string) => (type.charAt(0).toUpperCase() + type.slice(1)).replace(/_/g, ' ');

export interface PreferencesProps {
  /** the types offered (with any the saved preferences name); default KNOWN_TYPES */
  types?: string[];
  title?: string;
  /** show the quiet hours form below the types (default true); `<QuietHours/>` alone places it elsewhere */
  quietHours?: boolean;
  className?: string;
}

/** A switch per notification type (on unless switched off) and Save; below them the quiet hours (their own Save). */
export function Preferences({ types = KNOWN_TYPES, title = 'Notification preferences', quietHours = true, className }: PreferencesProps) {
  const { preferences, save } = usePreferences();
  const [changes, setChanges] = useState<Record<string, boolean>>({});
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const headingId = useId();
  const saved = preferences?.types ?? {};
  const all = [...new Set([...types, ...Object.keys(saved)])];
  const on = (type: string) => (changes[type] ?? saved[type]) !== false;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState('saving');
    try {
      await save({ types: { ...saved, ...changes } });
      setChanges({});
      setState('saved');
    } catch {
      setState('failed');
    }
  };

  return (
    <div className={`notify notify-prefs ${className ?? ''}`}>
      <form aria-labelledby={headingId} onSubmit={(e) => void submit(e)}>
        <h2 id={headingId} className="notify-inbox__title">
          {title}
        </h2>
        {!preferences ? (
          <p className="notify-empty">Loading…</p>
        ) : (
          <ul className="notify-prefs__list">
            {all.map((type) => (
              <li key={type}>
                <label className="notify-switch">
                  <input type="checkbox" role="switch" checked={on(type)} onChange={(e) => setChanges({ ...changes, [type]: e.target.checked })} />
                  <span>{label(type)}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        <div className="notify-prefs__footer">
          <button type="submit" className="notify-button notify-button--primary" disabled={!preferences || state === 'saving'}>
            Save
          </button>
          <span role="status" className={state === 'failed' ? 'notify-error' : 'notify-muted'}>
            {state === 'saved' ? 'Saved' : state === 'failed' ? 'Could not save, try again' : ''}
          </span>
        </div>
      </form>
      {quietHours && <QuietHours />}
    </div>
  );
}
