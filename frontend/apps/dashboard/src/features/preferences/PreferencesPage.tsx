import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import * as React from 'react';
import { api } from '@/api/client';
import { problemMessage, toProblem } from '@/api/problem';
import type { Preferences } from '@notify/client';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { fetchPreferences, savePreferences } from '@/features/notifications/api';
import { cachedTypes, reloadInbox } from '@/features/notifications/cache';
import { KNOWN_TYPES, typeChoices, typeIcon, typeLabel } from '@/features/notifications/presentation';
import { QuietHoursCard } from './QuietHoursCard';

const key = ['preferences'] as const;
const RECEIVED_WINDOW = 200; // the inbox's largest page: the types among the latest ones received

/**
 * The types to offer: every type the reader has received (the latest page of the inbox, and whatever
 * the dashboard has shown), and every type they switched off or named themselves, so that it can be
 * switched back on. Known types never received are left out: nothing to mute.
 */
export function preferenceTypes(saved: Record<string, boolean>, received: string[]): string[] {
  const known: readonly string[] = KNOWN_TYPES;
  const chosen = Object.entries(saved)
    .filter(([type, on]) => !on || !known.includes(type))
    .map(([type]) => type);
  return typeChoices(received, chosen);
}

export function PreferencesPage() {
  const qc = useQueryClient();
  const preferences = useQuery({ queryKey: key, queryFn: fetchPreferences });
  const received = useQuery({
    queryKey: ['received-types'],
    queryFn: async () => {
      const page = await api.list({ limit: RECEIVED_WINDOW });
      return (page.items ?? []).map((n) => n.type ?? 'general');
    },
  });
  const [status, setStatus] = React.useState('');
  const save = useMutation({
    mutationFn: savePreferences,
    onMutate: async (next: Preferences) => {
      setStatus('Saving…');
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Preferences>(key);
      qc.setQueryData(key, { ...before, types: { ...before?.types, ...next.types } });
      return { before };
    },
    onError: (error, _next, context) => {
      qc.setQueryData(key, context?.before);
      setStatus('Not saved.');
      toast({ title: 'Preferences not saved', description: problemMessage(toProblem(error)), variant: 'destructive' });
    },
    onSuccess: (saved) => {
      qc.setQueryData(key, saved);
      setStatus('Saved.');
      reloadInbox(qc); // muted types stop counting
    },
  });
  const types = preferences.data?.types ?? {};
  const listed = preferenceTypes(types, [...(received.data ?? []), ...cachedTypes(qc)]);
  const setAll = (on: boolean) => save.mutate({ types: Object.fromEntries(listed.map((t) => [t, on])) });
  const allOn = listed.every((t) => types[t] !== false);
  const allOff = listed.every((t) => types[t] === false);

  return (
    <div className="grid gap-4">
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <span>Preferences</span>
          </CardTitle>
          <CardDescription>
            Switch off the kinds of notification you do not want pushed or counted. They stay in your inbox, and urgent
            ones always get through.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {preferences.isPending || received.isPending ? (
            <p role="status" className="flex items-center gap-2 text-muted-foreground">
              <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> Loading…
            </p>
          ) : preferences.isError ? (
            <p role="alert" className="text-destructive">
              {problemMessage(toProblem(preferences.error))}
            </p>
          ) : listed.length === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="no-types">
              Nothing to switch off yet: the kinds of notification you receive appear here.
            </p>
          ) : (
            <>
              <div className="flex flex-wrap items-center gap-2">
                <Button variant="outline" size="sm" onClick={() => setAll(false)} disabled={allOff || save.isPending}>
                  Mute all
                </Button>
                <Button variant="outline" size="sm" onClick={() => setAll(true)} disabled={allOn || save.isPending}>
                  Unmute all
                </Button>
                <p role="status" className="ml-auto text-sm text-muted-foreground" data-testid="save-status">
                  {status}
                </p>
              </div>
              <ul className="divide-y" aria-label="Notification types">
                {listed.map((type) => {
                  const Icon = typeIcon(type);
                  const id = `pref-${type}`;
                  return (
                    <li key={type} className="flex items-center justify-between gap-4 py-3">
                      <Label htmlFor={id} className="flex items-center gap-3">
                        <Icon className="h-4 w-4 text-muted-foreground" aria-hidden />
                        {typeLabel(type)}
                      </Label>
                      <Switch id={id} checked={types[type] !== false} onCheckedChange={(on) => save.mutate({ types: { [type]: on } })} />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </CardContent>
      </Card>
      {preferences.isSuccess && <QuietHoursCard saved={preferences.data.quiet_hours} />}
    </div>
  );
}
