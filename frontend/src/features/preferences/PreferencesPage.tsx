import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { problemMessage, toProblem } from '@/api/problem';
import type { Preferences } from '@/api/types';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { fetchPreferences, savePreferences } from '@/features/notifications/api';
import { reloadInbox } from '@/features/notifications/cache';
import { KNOWN_TYPES, typeIcon, typeLabel } from '@/features/notifications/presentation';

const key = ['preferences'] as const;

export function PreferencesPage() {
  const qc = useQueryClient();
  const preferences = useQuery({ queryKey: key, queryFn: fetchPreferences });
  const save = useMutation({
    mutationFn: savePreferences,
    onMutate: async (next: Preferences) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Preferences>(key);
      qc.setQueryData(key, next);
      return { before };
    },
    onError: (error, _next, context) => {
      qc.setQueryData(key, context?.before);
      toast({ title: 'Preferences not saved', description: problemMessage(toProblem(error)), variant: 'destructive' });
    },
    onSuccess: (saved) => {
      qc.setQueryData(key, saved);
      reloadInbox(qc); // muted types stop counting
    },
  });
  const types = preferences.data?.types ?? {};
  // types the user switched before (possibly custom ones) are listed too
  const all = [...new Set<string>([...KNOWN_TYPES, ...Object.keys(types)])];

  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>
          <span>Preferences</span>
        </CardTitle>
        <CardDescription>
          Switch off the types you do not want to be pushed or counted. Urgent notifications always get through.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {preferences.isPending ? (
          <p role="status" className="flex items-center gap-2 text-muted-foreground">
            <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> Loading…
          </p>
        ) : preferences.isError ? (
          <p role="alert" className="text-destructive">
            {problemMessage(toProblem(preferences.error))}
          </p>
        ) : (
          <ul className="divide-y" aria-label="Notification types">
            {all.map((type) => {
              const Icon = typeIcon(type);
              const id = `pref-${type}`;
              return (
                <li key={type} className="flex items-center justify-between gap-4 py-3">
                  <Label htmlFor={id} className="flex items-center gap-3">
                    <Icon className="h-4 w-4 text-muted-foreground" aria-hidden />
                    {typeLabel(type)}
                  </Label>
                  <Switch
                    id={id}
                    checked={types[type] !== false}
                    onCheckedChange={(on) => save.mutate({ types: { ...types, [type]: on } })}
                  />
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
