import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import * as React from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Preferences } from '@notify/client';
import { problemMessage, toProblem } from '@/api/problem';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { clearQuietHours, savePreferences } from '@/features/notifications/api';

const key = ['preferences'] as const;
const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Enter a time such as 22:00');
const schema = z
  .object({ start: time, end: time, timezone: z.string().trim().min(1, 'Enter a time zone such as Europe/Berlin') })
  .refine((q) => q.start !== q.end, { path: ['end'], message: 'Must differ from the start' });
type Values = z.infer<typeof schema>;

/** This browser's time zone (IANA), the default for new quiet hours. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Quiet hours: from start to end (across midnight when end is earlier) in a time zone, notifications that are not
 * urgent still arrive and count, but without a pop-up. Saved with the preferences; every tab follows.
 */
export function QuietHoursCard({ saved }: { saved: Preferences['quiet_hours'] | undefined }) {
  const qc = useQueryClient();
  const [error, setError] = React.useState<string | null>(null);
  const [status, setStatus] = React.useState('');
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: saved ?? { start: '22:00', end: '07:00', timezone: localZone() },
  });
  React.useEffect(() => {
    if (saved) {
      reset(saved);
    }
  }, [saved, reset]);
  const done = (message: string) => ({
    onMutate: () => setError(null),
    onSuccess: (preferences: Preferences) => {
      qc.setQueryData(key, preferences);
      setStatus(message);
    },
    onError: (e: unknown) => {
      setStatus('');
      setError(problemMessage(toProblem(e)));
    },
  });
  const save = useMutation({ mutationFn: (q: Values) => savePreferences({ types: {}, quiet_hours: q }), ...done('Quiet hours saved.') });
  const clear = useMutation({ mutationFn: clearQuietHours, ...done('Quiet hours off.') });
  const busy = save.isPending || clear.isPending;

  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>
          <span>Quiet hours</span>
        </CardTitle>
        <CardDescription>
          {saved ? `On: ${saved.start} to ${saved.end} (${saved.timezone}).` : 'Off.'}{' '}
          During them notifications still arrive and count, but without a pop-up. Urgent ones always pop up.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={handleSubmit((q) => save.mutate(q))} className="grid gap-4 sm:grid-cols-3" noValidate aria-label="Quiet hours">
          {error && (
            <div role="alert" className="rounded-md border border-destructive bg-destructive/10 p-3 text-sm text-destructive sm:col-span-3">
              {error}
            </div>
          )}
          <FormField id="quiet-start" label="From" error={errors.start?.message}>
            <Input id="quiet-start" type="time" {...fieldA11y('quiet-start', errors.start?.message)} {...register('start')} />
          </FormField>
          <FormField id="quiet-end" label="Until" error={errors.end?.message}>
            <Input id="quiet-end" type="time" {...fieldA11y('quiet-end', errors.end?.message)} {...register('end')} />
          </FormField>
          <FormField id="quiet-zone" label="Time zone" error={errors.timezone?.message}>
            <Input id="quiet-zone" {...fieldA11y('quiet-zone', errors.timezone?.message)} {...register('timezone')} />
          </FormField>
          <div className="flex flex-wrap items-center gap-2 sm:col-span-3">
            <Button type="submit" size="sm" disabled={busy}>
              {saved ? 'Save quiet hours' : 'Turn on quiet hours'}
            </Button>
            {saved && (
              <Button type="button" variant="outline" size="sm" disabled={busy} onClick={() => clear.mutate()}>
                Turn off
              </Button>
            )}
            <p aria-live="polite" className="ml-auto text-sm text-muted-foreground" data-testid="quiet-status">
              {status}
            </p>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
