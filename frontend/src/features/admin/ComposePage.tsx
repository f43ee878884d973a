import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Loader2, Send } from 'lucide-react';
import * as React from 'react';
import { Controller, useForm } from 'react-hook-form';
import { get, post } from '@/api/http';
import { problemMessage, toProblem, type Problem } from '@/api/problem';
import type { Notification, NotificationRequest } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input, NativeSelect, Textarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useAuth } from '@/features/auth/AuthProvider';
import { NotificationItem } from '@/features/notifications/NotificationItem';
import { KNOWN_TYPES, PRIORITIES, typeLabel } from '@/features/notifications/presentation';
import { recentlySent, rememberSent, type SentEntry } from './api';
import { DeliveryStatsCard } from './DeliveryStatsCard';
import { RecentlySent } from './RecentlySent';
import { composeSchema, emptyCompose, fieldOf, toRequest, type ComposeValues } from './schema';

// the service answers the created notification (201) or the earlier one for a repeated idempotency key (200)
const send = (request: NotificationRequest) => post('/api/notifications', request) as Promise<Notification | undefined>;

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

export function ComposePage() {
  const { me } = useAuth();
  const [userFilter, setUserFilter] = React.useState('');
  const [result, setResult] = React.useState<{ sent?: Partial<Notification>; problem?: Problem } | null>(null);
  // this session's sends and the one whose delivery is shown (the latest, unless the sender picks another)
  const [recent, setRecent] = React.useState<SentEntry[]>(recentlySent);
  const [watched, setWatched] = React.useState<string | undefined>(() => recent[0]?.id);
  const watchedEntry = recent.find((e) => e.id === watched);
  const form = useForm<ComposeValues>({ resolver: zodResolver(composeSchema), defaultValues: emptyCompose });
  const { register, handleSubmit, watch, control, setError, formState } = form;
  const errors = formState.errors;
  const values = watch();

  const users = useQuery({
    queryKey: ['directory'],
    queryFn: () => get('/api/auth/users', { params: { limit: 200 } }),
    enabled: values.audienceType === 'users',
  });
  const companies = useQuery({ queryKey: ['companies'], queryFn: () => get('/api/auth/companies') });

  const mutation = useMutation({
    mutationFn: send,
    onSuccess: (sent, request) => {
      setResult({ sent: sent ?? { title: request.title } });
      if (sent?.id) {
        // the reply's audience does not list the users: keep what the sender asked for
        setRecent(rememberSent({ ...sent, audience: request.audience }));
        setWatched(sent.id);
      }
    },
    onError: (error) => {
      const problem = toProblem(error);
      for (const v of problem.violations) {
        const field = fieldOf(v.field);
        if (field) {
          setError(field, { type: 'server', message: v.message });
        }
      }
      setResult({ problem });
    },
  });
  const onSubmit = handleSubmit((v) => {
    setResult(null);
    mutation.mutate(toRequest(v));
  });

  const described = (name: keyof ComposeValues) => fieldA11y(name, errors[name]?.message);
  const visibleUsers = (users.data?.users ?? []).filter((u) =>
    `${u.username} ${u.display_name ?? ''} ${u.company ?? ''}`.toLowerCase().includes(userFilter.toLowerCase()),
  );
  const preview: Notification = {
    id: 'preview',
    seq: 0,
    title: values.title || 'Title',
    message: values.message || 'Message',
    type: values.type || 'general',
    priority: values.priority,
    audience: { type: 'everyone' },
    data: {},
    link: values.link || null,
    sender: me?.username ?? '',
    expires_at: null,
    created_at: new Date().toISOString(),
    read: false,
  };

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card>
        <CardHeader>
          <CardTitle>
            <span>Send a notification</span>
          </CardTitle>
          <CardDescription>Admins may send to any user, company, role or everyone.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-5" aria-label="Compose notification">
            <fieldset className="grid gap-3">
              <legend className="mb-2 text-sm font-medium">Audience</legend>
              <div className="flex flex-wrap gap-4" role="radiogroup" aria-label="Audience">
                {(['users', 'company', 'role', 'everyone'] as const).map((a) => (
                  <label key={a} className="flex items-center gap-2 text-sm">
                    <input type="radio" value={a} className="h-4 w-4 accent-[hsl(var(--primary))]" {...register('audienceType')} />
                    {a === 'users' ? 'Users' : a === 'company' ? 'Company' : a === 'role' ? 'Role' : 'Everyone'}
                  </label>
                ))}
              </div>
              <FieldError id="audienceType-error" message={errors.audienceType?.message} />

              {values.audienceType === 'users' && (
                <div className="grid gap-2">
                  <Label htmlFor="user-filter">Users</Label>
                  <Input id="user-filter" placeholder="Search users" value={userFilter} onChange={(e) => setUserFilter(e.target.value)} />
                  <Controller
                    control={control}
                    name="userIds"
                    render={({ field }) => (
                      <ul className="max-h-48 overflow-auto rounded-md border p-2" aria-label="Users" {...described('userIds')}>
                        {users.isPending && <li className="text-sm text-muted-foreground">Loading the directory…</li>}
                        {visibleUsers.map((u) => {
                          const id = `user-${u.id}`;
                          const checked = field.value.includes(u.id ?? '');
                          return (
                            <li key={u.id} className="flex items-center gap-2 py-1">
                              <Checkbox
                                id={id}
                                checked={checked}
                                onCheckedChange={(on) =>
                                  field.onChange(on ? [...field.value, u.id] : field.value.filter((x) => x !== u.id))
                                }
                              />
                              <Label htmlFor={id} className="font-normal">
                                {u.display_name ?? u.username} <span className="text-muted-foreground">({u.username}, {u.company})</span>
                              </Label>
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  />
                  <FieldError id="userIds-error" message={errors.userIds?.message} />
                </div>
              )}
              {values.audienceType === 'company' && (
                <FormField id="company" label="Company slug" error={errors.company?.message}>
                  <Input id="company" list="companies" placeholder="company_a" {...register('company')} {...described('company')} />
                </FormField>
              )}
              {values.audienceType === 'role' && (
                <div className="grid gap-3 sm:grid-cols-2">
                  <FormField id="role" label="Role" error={errors.role?.message}>
                    <NativeSelect id="role" {...register('role')} {...described('role')}>
                      <option value="user">user</option>
                      <option value="admin">admin</option>
                      <option value="service">service</option>
                    </NativeSelect>
                  </FormField>
                  <div className="grid gap-2">
                    <Label htmlFor="roleCompany">Within company (optional)</Label>
                    <Input id="roleCompany" list="companies" {...register('roleCompany')} />
                  </div>
                </div>
              )}
              <datalist id="companies">
                {(companies.data ?? []).map((c) => (
                  <option key={c.slug} value={c.slug}>
                    {c.name}
                  </option>
                ))}
              </datalist>
            </fieldset>

            <div className="grid gap-3 sm:grid-cols-2">
              <FormField id="type" label="Type" error={errors.type?.message}>
                <Input id="type" list="types" {...register('type')} {...described('type')} />
                <datalist id="types">
                  {KNOWN_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {typeLabel(t)}
                    </option>
                  ))}
                </datalist>
              </FormField>
              <FormField id="priority" label="Priority" error={errors.priority?.message}>
                <NativeSelect id="priority" {...register('priority')} {...described('priority')}>
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            </div>
            <FormField id="title" label="Title" error={errors.title?.message}>
              <Input id="title" {...register('title')} {...described('title')} />
            </FormField>
            <FormField id="message" label="Message" error={errors.message?.message}>
              <Textarea id="message" rows={3} {...register('message')} {...described('message')} />
            </FormField>
            <FormField id="link" label="Link (optional)" error={errors.link?.message}>
              <Input id="link" placeholder="/meetings/42" {...register('link')} {...described('link')} />
            </FormField>
            <FormField id="data" label="Data (optional JSON object)" error={errors.data?.message}>
              <Textarea id="data" rows={2} className="font-mono" placeholder='{"meeting_id": 42}' {...register('data')} {...described('data')} />
            </FormField>

            {result?.problem && (
              <div role="alert" data-testid="send-error" className="rounded-md border border-destructive bg-destructive/10 p-3 text-sm">
                <p className="font-medium text-destructive">Not sent: {problemMessage(result.problem)}</p>
                {result.problem.violations.length > 0 && (
                  <ul className="mt-1 list-disc pl-5">
                    {result.problem.violations.map((v, i) => (
                      <li key={i}>
                        <code>{v.field}</code>: {v.message}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {result?.sent && (
              <div role="status" data-testid="send-result" className="rounded-md border border-emerald-600 bg-emerald-600/10 p-3 text-sm">
                Sent “{result.sent.title}”{result.sent.id ? ` (id ${result.sent.id})` : ''}.
              </div>
            )}
            <Button type="submit" disabled={mutation.isPending} className="justify-self-start">
              {mutation.isPending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Send className="h-4 w-4" aria-hidden />}
              Send
            </Button>
          </form>
        </CardContent>
      </Card>
      <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] content-start gap-6">
        {watchedEntry && <DeliveryStatsCard key={watchedEntry.id} sent={watchedEntry} />}
        <RecentlySent entries={recent} selected={watched} onSelect={setWatched} />
        <section aria-labelledby="preview-title" className="grid content-start gap-2">
          <h2 id="preview-title" className="text-sm font-medium text-muted-foreground">
            Preview
          </h2>
          <NotificationItem notification={preview} preview />
        </section>
      </div>
    </div>
  );
}
