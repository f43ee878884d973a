import { zodResolver } from '@hookform/resolvers/zod';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loader2, Search, UserMinus, UserPlus } from 'lucide-react';
import * as React from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '@/api/client';
import { problemMessage, toProblem } from '@/api/problem';
import { RowAction } from '@/components/RowAction';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { relativeTime } from '@/lib/time';
import { subscribersKey, TOPICS_KEY, topicKey } from './key';
import { Loaded, Outcome, TopicKeyField } from './parts';

/** subscribers per page (the service allows 1 to 500) */
export const SUBSCRIBERS_PAGE = 50;

const lookup = z.object({ topic: topicKey });
const adding = z.object({ userId: z.string().trim().min(1, "Enter the user's id") });

/**
 * For admins: who follows a topic of their company (`GET /api/topics/{key}/subscribers`, paged by user id), and
 * subscribing or unsubscribing someone of the company by their user id (`PUT`/`DELETE …/subscribers/{userId}`).
 */
export function SubscribersCard({ company, myId }: { company: string | undefined; myId: string | undefined }) {
  const qc = useQueryClient();
  const [topic, setTopic] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [status, setStatus] = React.useState('');
  const find = useForm<z.infer<typeof lookup>>({ resolver: zodResolver(lookup), defaultValues: { topic: '' } });
  const add = useForm<z.infer<typeof adding>>({ resolver: zodResolver(adding), defaultValues: { userId: '' } });

  // the company's people, to name the subscribers and to suggest ids (a subscriber beyond them shows by id)
  const directory = useQuery({
    queryKey: ['directory', company],
    queryFn: () => api.users({ company, limit: 200 }),
    enabled: company !== undefined,
  });
  const people = new Map((directory.data?.users ?? []).map((u) => [u.id, u.display_name ?? u.username]));
  const nameOf = (id: string) => people.get(id) ?? id;

  const subscribers = useInfiniteQuery({
    queryKey: subscribersKey(topic ?? ''),
    queryFn: ({ pageParam }) => api.subscribers(topic ?? '', { after: pageParam, limit: SUBSCRIBERS_PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_after ?? undefined,
    enabled: topic !== null,
    staleTime: 0,
  });
  const changed = (userId: string) => {
    void qc.invalidateQueries({ queryKey: subscribersKey(topic ?? '') });
    if (userId === myId) {
      void qc.invalidateQueries({ queryKey: TOPICS_KEY }); // the admin's own Following list
    }
  };
  const begin = () => {
    setError(null);
    setStatus('');
  };
  const failed = (what: string) => (e: unknown) => setError(`${what}: ${problemMessage(toProblem(e))}`);
  const subscribe = useMutation({
    mutationFn: (userId: string) => api.addSubscriber(topic ?? '', userId),
    onMutate: begin,
    onSuccess: (_, userId) => {
      add.reset();
      setStatus(`${nameOf(userId)} now follows “${topic}”.`);
      changed(userId);
    },
    onError: failed('Not added'),
  });
  const unsubscribe = useMutation({
    mutationFn: (userId: string) => api.removeSubscriber(topic ?? '', userId),
    onMutate: begin,
    onSuccess: (_, userId) => {
      setStatus(`${nameOf(userId)} no longer follows “${topic}”.`);
      changed(userId);
    },
    onError: failed('Not removed'),
  });
  const rows = subscribers.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>
          <span>Subscribers</span>
        </CardTitle>
        <CardDescription>
          As an admin: who follows a topic{company ? ` of ${company}` : ''}, and subscribe or unsubscribe someone of the company.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          onSubmit={find.handleSubmit((v) => {
            begin();
            setTopic(v.topic);
          })}
          noValidate
          aria-label="Find a topic's subscribers"
          className="flex flex-wrap items-start gap-2"
        >
          <TopicKeyField id="subscribers-topic" field={find.register('topic')} error={find.formState.errors.topic?.message} className="min-w-48 flex-1" />
          <Button type="submit" variant="outline" className="mt-[1.375rem]">
            <Search className="h-4 w-4" aria-hidden /> Show subscribers
          </Button>
        </form>
        <Outcome error={error} status={status} testId="subscribers-status" />
        {topic !== null && (
          <section aria-labelledby="subscribers-title" className="grid gap-3">
            <h3 id="subscribers-title" className="text-sm font-medium text-muted-foreground">
              Subscribers of “{topic}”
            </h3>
            <Loaded
              query={subscribers}
              what="The subscribers"
              empty={rows.length === 0 && `Nobody follows “${topic}” yet.`}
              emptyTestId="no-subscribers"
            >
              <ul className="divide-y rounded-lg border" aria-label={`Subscribers of "${topic}"`}>
                {rows.map((s) => (
                  <li key={s.user_id} className="flex items-center gap-3 px-3 py-2 text-sm" data-user-id={s.user_id}>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-medium">{nameOf(s.user_id)}</span>
                      <span className="block truncate text-xs text-muted-foreground">
                        <code>{s.user_id}</code> · since <time dateTime={s.subscribed_at}>{relativeTime(s.subscribed_at)}</time>
                      </span>
                    </span>
                    <RowAction
                      icon={UserMinus}
                      busy={unsubscribe.isPending && unsubscribe.variables === s.user_id}
                      label={`Remove ${nameOf(s.user_id)} from "${topic}"`}
                      onClick={() => unsubscribe.mutate(s.user_id)}
                    >
                      Remove
                    </RowAction>
                  </li>
                ))}
              </ul>
            </Loaded>
            {subscribers.hasNextPage && (
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="justify-self-start"
                disabled={subscribers.isFetchingNextPage}
                onClick={() => void subscribers.fetchNextPage()}
              >
                {subscribers.isFetchingNextPage && <Loader2 className="h-3.5 w-3.5 animate-spin" aria-hidden />}
                Load more
              </Button>
            )}
            <form
              onSubmit={add.handleSubmit((v) => subscribe.mutate(v.userId))}
              noValidate
              aria-label="Add a subscriber"
              className="flex flex-wrap items-start gap-2"
            >
              <FormField
                id="subscriber-id"
                label="User id"
                error={add.formState.errors.userId?.message}
                hint="Someone of the company: pick from the list or paste an id"
                className="min-w-48 flex-1"
              >
                <Input
                  id="subscriber-id"
                  list="company-people"
                  autoComplete="off"
                  spellCheck={false}
                  {...add.register('userId')}
                  {...fieldA11y('subscriber-id', add.formState.errors.userId?.message, true)}
                />
                <datalist id="company-people">
                  {(directory.data?.users ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.display_name ?? u.username}
                    </option>
                  ))}
                </datalist>
              </FormField>
              <Button type="submit" className="mt-[1.375rem]" disabled={subscribe.isPending}>
                {subscribe.isPending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <UserPlus className="h-4 w-4" aria-hidden />}
                Add
              </Button>
            </form>
          </section>
        )}
      </CardContent>
    </Card>
  );
}
