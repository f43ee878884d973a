import * as React from 'react';
import { cn } from '@/lib/utils';
import { Label } from './label';

/**
 * A label, its control and the control's error. The control itself carries
 * {@link fieldA11y}(id, error) so that screen readers announce the error with the field.
 */
export function FormField({
  id,
  label,
  error,
  hint,
  className,
  children,
}: {
  id: string;
  label: React.ReactNode;
  error?: string;
  /** a short help line under the control (its id is `${id}-hint`, for aria-describedby) */
  hint?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={cn('grid gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

export function fieldA11y(id: string, error: string | undefined, hasHint = false) {
  return error
    ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` }
    : hasHint
      ? { 'aria-describedby': `${id}-hint` }
      : {};
}
