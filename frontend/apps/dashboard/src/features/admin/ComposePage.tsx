import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CalendarClock, Loader2, Send } from 'lucide-react';
import * as React from 'react';
import { Controller, useForm } from 'react-hook-form';
import { api } from '@/api/client';
import { problemMessage, toProblem, type Problem } from '@/api/problem';
import { audienceLabel, isScheduled, type Notification, type NotificationRequest, type ScheduledSend, type SendResult } from '@notify/client';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input, NativeSelect, Textarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import { useAuth } from '@/features/auth/AuthProvider';
import { NotificationItem } from '@/features/notifications/NotificationItem';
import { cachedTypes } from '@/features/notifications/cache';
import { KNOWN_TYPES, PRIORITIES, priorityLabel, typeChoices, typeLabel } from '@/features/notifications/presentation';
import { TOPIC_KEY_RULE } from '@/features/topics/key';
import { TopicKeyField } from '@/features/topics/parts';
import { recentlySent, rememberSent, type SentEntry } from './api';
import { DeliveryStatsCard } from './DeliveryStatsCard';
import { RecentlySent } from './RecentlySent';
import { formatWhen, SCHEDULED_KEY, ScheduledSends } from './ScheduledSends';
import { composeSchema, emptyCompose, fieldOf, localInputValue, reachQuery, reachSentence, toRequest, type ComposeValues } from './schema';

// the service answers the created notification (201), the earlier one for a repeated idempotency key (200),
// or with send_at the scheduled send (202)
const send = (request: NotificationRequest) => api.send(request) as Promise<SendResult | undefined>;

const AUDIENCES = { users: 'Users', company: 'Company', role: 'Role', topic: 'Topic', everyone: 'Everyone' } as const;

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
  const [result, setResult] = React.useState<{ sent?: Partial<Notification>; scheduled?: ScheduledSend; to?: string; problem?: Problem } | null>(null);
  const qc = useQueryClient();
  // this session's sends and the one whose delivery is shown (the latest, unless the sender picks another)
  const [recent, setRecent] = React.useState<SentEntry[]>(recentlySent);
  const [watched, setWatched] = React.useState<string | undefined>(() => recent[0]?.id);
  const watchedEntry = recent.find((e) => e.id === watched);
  const form = useForm<ComposeValues>({ resolver: zodResolver(composeSchema), defaultValues: emptyCompose });
  const { register, handleSubmit, watch, control, setError, setValue, formState, reset } = form;
  const errors = formState.errors;
  const values = watch();

  const users = useQuery({
    queryKey: ['directory'],
    queryFn: () => api.users({ limit: 200 }),
    enabled: values.audienceType === 'users',
  });
  const companies = useQuery({ queryKey: ['companies'], queryFn: () => api.companies() });
  // a topic is scoped to a company: the sender's own unless they pick another (once the select lists it)
  const ownCompany = companies.data?.some((c) => c.slug === me?.company) ? me?.company : undefined;
  React.useEffect(() => {
    if (values.audienceType === 'topic' && !values.company && ownCompany) {
      setValue('company', ownCompany);
    }
  }, [values.audienceType, values.company, ownCompany, setValue]);
  // how many people a company, role or everyone send reaches (the directory's count, as the service will store it)
  const reach = reachQuery(values);
  const reachCount = useQuery({
    queryKey: ['audience-count', reach],
    queryFn: () => api.userCount(reach ?? {}),
    enabled: reach !== null,
    staleTime: 30_000,
  });
  const companyName = (slug: string) => companies.data?.find((c) => c.slug === slug)?.name ?? slug;
  const reachText = reachSentence(values, reachCount.data?.count, companyName);
  // the types the inbox has shown, next to the known ones
  const typeSuggestions = typeChoices([...KNOWN_TYPES], cachedTypes(qc));

  const mutation = useMutation({
    mutationFn: send,
    onSuccess: (sent, request) => {
      // a fresh form for the next one, to the same audience
      reset({
        ...emptyCompose,
        audienceType: values.audienceType,
        userIds: values.userIds,
        company: values.company,
        role: values.role,
        roleCompany: values.roleCompany,
        topic: values.topic,
      });
      if (sent && isScheduled(sent)) {
        // nothing to deliver yet: it shows in the Scheduled list until it goes out
        setResult({ scheduled: sent, to: audienceLabel(request.audience) });
        void qc.invalidateQueries({ queryKey: SCHEDULED_KEY });
        return;
      }
      setResult({ sent: sent ?? { title: request.title }, to: audienceLabel(request.audience) });
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
    sender: me?.display_name ?? me?.username ?? '',
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
          <CardDescription>Admins may send to any user, company, role, a company's topic or everyone.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-5" aria-label="Compose notification">
            <fieldset className="grid gap-3">
              <legend className="mb-2 text-sm font-medium">Audience</legend>
              <div className="flex flex-wrap gap-4" role="radiogroup" aria-label="Audience">
                {(Object.keys(AUDIENCES) as (keyof typeof AUDIENCES)[]).map((a) => (
                  <label key={a} className="flex items-center gap-2 text-sm">
                    <input type="radio" value={a} className="h-4 w-4 accent-[hsl(var(--primary))]" {...register('audienceType')} />
                    {AUDIENCES[a]}
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
              {(values.audienceType === 'company' || values.audienceType === 'topic') && (
                <div className={cn('grid gap-3', values.audienceType === 'topic' && 'sm:grid-cols-2')}>
                  {values.audienceType === 'topic' && (
                    <TopicKeyField id="topic" field={register('topic')} error={errors.topic?.message} hint={`e.g. project-42 · ${TOPIC_KEY_RULE}`} />
                  )}
                  <FormField id="company" label="Company" error={errors.company?.message}>
                    <NativeSelect id="company" {...register('company')} {...described('company')}>
                      <option value="">Choose a company…</option>
                      {(companies.data ?? []).map((c) => (
                        <option key={c.slug} value={c.slug}>
                          {c.name ?? c.slug}
                        </option>
                      ))}
                    </NativeSelect>
                  </FormField>
                </div>
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
                    <NativeSelect id="roleCompany" {...register('roleCompany')}>
                      <option value="">Every company</option>
                      {(companies.data ?? []).map((c) => (
                        <option key={c.slug} value={c.slug}>
                          {c.name ?? c.slug}
                        </option>
                      ))}
                    </NativeSelect>
                  </div>
                </div>
              )}
              <p className="text-sm text-muted-foreground" data-testid="reach">
                {reachText}
              </p>
            </fieldset>

            <div className="grid gap-3 sm:grid-cols-2">
              <FormField id="type" label="Type" error={errors.type?.message} hint="Pick one or name your own (lower_snake_case)">
                <Input id="type" list="types" autoComplete="off" {...register('type')} {...fieldA11y('type', errors.type?.message, true)} />
                <datalist id="types">
                  {typeSuggestions.map((t) => (
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
                      {priorityLabel(p)}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            </div>
            <FormField id="title" label="Title" error={errors.title?.message}>
              <Input id="title" placeholder="e.g. Standup moved to 10:30" {...register('title')} {...described('title')} />
            </FormField>
            <FormField id="message" label="Message" error={errors.message?.message}>
              <Textarea id="message" rows={3} placeholder="What should people know?" {...register('message')} {...described('message')} />
            </FormField>
            <FormField id="link" label="Link (optional)" error={errors.link?.message} hint="Where “Open” leads: a path of this app or an https:// address">
              <Input id="link" {...register('link')} {...fieldA11y('link', errors.link?.message, true)} />
            </FormField>
            <FormField id="data" label="Data (optional JSON object)" error={errors.data?.message} hint={<>For the receiving app, e.g. <code>{'{"meeting_id": 42}'}</code></>}>
              <Textarea id="data" rows={2} className="font-mono" {...register('data')} {...fieldA11y('data', errors.data?.message, true)} />
            </FormField>
            <FormField id="sendAt" label="Send later (optional)" error={errors.sendAt?.message} hint="Your local time; leave empty to send now">
              <Input
                id="sendAt"
                type="datetime-local"
                step={1}
                min={localInputValue(new Date())}
                className="w-full min-w-0 sm:max-w-xs"
                {...register('sendAt')}
                {...fieldA11y('sendAt', errors.sendAt?.message, true)}
              />
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
            {(result?.sent || result?.scheduled) && (
              <div
                role="status"
                data-testid="send-result"
                data-notification-id={result.sent?.id}
                data-scheduled-id={result.scheduled?.id}
                className={cn('rounded-md border p-3 text-sm', result.scheduled ? 'border-sky-600 bg-sky-600/10' : 'border-emerald-600 bg-emerald-600/10')}
              >
                {result.scheduled ? (
                  <>
                    Scheduled for <time dateTime={result.scheduled.send_at}>{formatWhen(result.scheduled.send_at)}</time>: “{result.scheduled.title}”
                    {result.to ? ` to ${result.to}` : ''}.
                  </>
                ) : (
                  <>
                    Sent “{result.sent?.title}”{result.to ? ` to ${result.to}` : ''}.{' '}
                    {result.sent?.id && (
                      <a href="#delivery" className="font-medium text-primary underline underline-offset-2">
                        See its delivery
                      </a>
                    )}
                  </>
                )}
              </div>
            )}
            <Button type="submit" disabled={mutation.isPending} className="justify-self-start">
              {mutation.isPending ? (
                <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
              ) : values.sendAt ? (
                <CalendarClock className="h-4 w-4" aria-hidden />
              ) : (
                <Send className="h-4 w-4" aria-hidden />
              )}
              {values.sendAt ? 'Schedule' : 'Send'}
            </Button>
          </form>
        </CardContent>
      </Card>
      <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] content-start gap-6">
        {watchedEntry && (
          <div id="delivery" className="min-w-0 scroll-mt-20">
            <DeliveryStatsCard key={watchedEntry.id} sent={watchedEntry} />
          </div>
        )}
        <ScheduledSends />
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
