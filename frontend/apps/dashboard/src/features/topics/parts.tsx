import { Loader2 } from 'lucide-react';
import type * as React from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { problemMessage, toProblem } from '@/api/problem';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { TOPIC_KEY_RULE } from './key';

/** A topic key's input: its label, the key's rule as the hint (or the error), a key's placeholder. */
export function TopicKeyField({
  id,
  field,
  error,
  hint = TOPIC_KEY_RULE,
  className,
}: {
  id: string;
  field: UseFormRegisterReturn;
  error: string | undefined;
  hint?: string;
  className?: string;
}) {
  return (
    <FormField id={id} label="Topic" error={error} hint={hint} className={className}>
      <Input id={id} placeholder="project-42" autoComplete="off" spellCheck={false} {...field} {...fieldA11y(id, error, true)} />
    </FormField>
  );
}

/** What a card's last change came to: a failure as an alert, else what it did, announced politely. */
export function Outcome({ error, status, testId }: { error: string | null; status: string; testId: string }) {
  return (
    <>
      {error && (
        <div role="alert" className="rounded-md border border-destructive bg-destructive/10 p-3 text-sm text-destructive">
          {error}
        </div>
      )}
      <p aria-live="polite" className="text-sm text-muted-foreground empty:hidden" data-testid={testId}>
        {status}
      </p>
    </>
  );
}

/** A list a query loads: Loading…, why it could not be loaded, the empty line, or the list. */
export function Loaded({
  query,
  what,
  empty,
  emptyTestId,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown };
  /** "Your topics", "The subscribers": what could not be loaded */
  what: string;
  empty: React.ReactNode | null;
  emptyTestId: string;
  children: React.ReactNode;
}) {
  if (query.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
        <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> Loading…
      </p>
    );
  }
  if (query.isError) {
    return (
      <p role="alert" className="text-sm text-destructive">
        {what} could not be loaded: {problemMessage(toProblem(query.error))}
      </p>
    );
  }
  return empty ? (
    <p className="text-sm text-muted-foreground" data-testid={emptyTestId}>
      {empty}
    </p>
  ) : (
    children
  );
}
