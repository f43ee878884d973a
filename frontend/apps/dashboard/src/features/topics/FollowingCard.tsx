import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Hash, Loader2, Plus, X } from 'lucide-react';
import * as React from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { TopicSubscription, TopicSubscriptions } from '@notify/client';
import { api } from '@/api/client';
import { problemMessage, toProblem } from '@/api/problem';
import { RowAction } from '@/components/RowAction';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { reloadInbox } from '@/features/notifications/cache';
import { relativeTime } from '@/lib/time';
import { subscribersKey, TOPICS_KEY, topicKey } from './key';
import { Loaded, Outcome, TopicKeyField } from './parts';

const schema = z.object({ topic: topicKey });
type Values = z.infer<typeof schema>;

const byTopic = (items: TopicSubscription[]) => [...items].sort((a, b) => a.topic.localeCompare(b.topic));

/**
 * The signed-in user's topics (`GET /api/topics`): follow one by its key (`PUT …/subscription`: what is sent to it
 * from then on reaches them), unfollow (`DELETE …/subscription`: its notifications leave the inbox).
 */
export function FollowingCard({ company }: { company: string | undefined }) {
  const qc = useQueryClient();
  const [error, setError] = React.useState<string | null>(null);
  const [status, setStatus] = React.useState('');
  const topics = useQuery({ queryKey: TOPICS_KEY, queryFn: () => api.topics() });
  const {
    register,
    handleSubmit,
    reset,
    setError: setFieldError,
    formState: { errors },
  } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { topic: '' } });
  const settle = (_: unknown, __: unknown, key: string) => {
    void qc.invalidateQueries({ queryKey: TOPICS_KEY });
    void qc.invalidateQueries({ queryKey: subscribersKey(key) }); // an admin looking at its subscribers
  };
  const begin = () => {
    setError(null);
    setStatus('');
  };
  const follow = useMutation({
    mutationFn: (key: string) => api.subscribe(key),
    onMutate: begin,
    onSuccess: (subscription) => {
      qc.setQueryData<TopicSubscriptions>(TOPICS_KEY, (list) => ({
        items: byTopic([...(list?.items ?? []).filter((s) => s.topic !== subscription.topic), subscription]),
      }));
      reset();
      setStatus(`Following “${subscription.topic}”: what is sent to it from now on reaches you.`);
    },
    onError: (e) => {
      const problem = toProblem(e);
      const onKey = problem.violations.find((v) => v.field === 'key');
      if (onKey) {
        setFieldError('topic', { type: 'server', message: onKey.message });
      } else {
        setError(`Not followed: ${problemMessage(problem)}`);
      }
    },
    onSettled: settle,
  });
  const unfollow = useMutation({
    mutationFn: (key: string) => api.unsubscribe(key),
    onMutate: begin,
    onSuccess: (_, key) => {
      qc.setQueryData<TopicSubscriptions>(TOPICS_KEY, (list) => list && { items: list.items.filter((s) => s.topic !== key) });
      setStatus(`Unfollowed “${key}”: its notifications left your inbox.`);
      reloadInbox(qc); // they leave the inbox and its counts
    },
    onError: (e, key) => setError(`“${key}” could not be unfollowed: ${problemMessage(toProblem(e))}`),
    onSettled: settle,
  });
  const following = topics.data?.items ?? [];

  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle>
          <span>Topics</span>
        </CardTitle>
        <CardDescription>
          Follow a topic{company ? ` of ${company}` : ''}, such as a project or an invoice, to receive what is sent to it from now
          on. Unfollow it and its notifications leave your inbox.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          onSubmit={handleSubmit((v) => follow.mutate(v.topic))}
          noValidate
          aria-label="Follow a topic"
          className="flex flex-wrap items-start gap-2"
        >
          <TopicKeyField id="follow-topic" field={register('topic')} error={errors.topic?.message} className="min-w-48 flex-1" />
          <Button type="submit" className="mt-[1.375rem]" disabled={follow.isPending}>
            {follow.isPending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Plus className="h-4 w-4" aria-hidden />}
            Follow
          </Button>
        </form>
        <Outcome error={error} status={status} testId="topics-status" />
        <section aria-labelledby="following-title" className="grid gap-2">
          <h3 id="following-title" className="text-sm font-medium text-muted-foreground">
            Following
          </h3>
          <Loaded query={topics} what="Your topics" empty={following.length === 0 && 'You follow no topics yet.'} emptyTestId="no-topics">
            <ul className="divide-y rounded-lg border" aria-label="Following">
              {following.map((s) => (
                <li key={s.topic} className="flex items-center gap-3 px-3 py-2 text-sm" data-topic={s.topic}>
                  <Hash className="h-4 w-4 shrink-0 text-muted-foreground" aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium" title={s.topic}>
                      {s.topic}
                    </span>
                    <span className="block text-xs text-muted-foreground">
                      Since <time dateTime={s.subscribed_at}>{relativeTime(s.subscribed_at)}</time>
                    </span>
                  </span>
                  <RowAction
                    icon={X}
                    busy={unfollow.isPending && unfollow.variables === s.topic}
                    label={`Unfollow "${s.topic}"`}
                    onClick={() => unfollow.mutate(s.topic)}
                  >
                    Unfollow
                  </RowAction>
                </li>
              ))}
            </ul>
          </Loaded>
        </section>
      </CardContent>
    </Card>
  );
}
