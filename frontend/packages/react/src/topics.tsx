import { isTopicKey } from '@notify/client';
import { useEffect, useState } from 'react';
import { problemText } from './problem';
import { useNotifyState, useNotifyStore } from './provider';

export interface TopicSubscriptionState {
  /** the user follows the topic (in their company) */
  subscribed: boolean;
  /** the user's topics are loading, or a subscribe / unsubscribe awaits the server */
  loading: boolean;
  /** why the last load or change failed (the service's problem `detail`), null after a good one */
  error: string | null;
  /** follows it: its notifications sent from now on reach the user; resolves when done or failed (see `error`) */
  subscribe: () => Promise<void>;
  /** stops following it: its notifications leave the inbox; resolves when done or failed (see `error`) */
  unsubscribe: () => Promise<void>;
}

/**
 * Whether the signed-in user follows topic `key` ("project-42", "invoice-1001") in their company, and following it or
 * not. The user's topics load once for every hook and button below the provider; a change shows in all of them.
 * A key the service would refuse (not 1 to 128 letters, digits and `._:-`) is an `error`, without a call.
 */
export function useTopicSubscription(key: string): TopicSubscriptionState {
  const store = useNotifyStore();
  const topics = useNotifyState((s) => s.topics);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // (stale once another hook's change loaded them)
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (!store.getState().topics) {
      store.loadTopics().catch((e: unknown) => setLoadError(`Your topics could not be loaded: ${problemText(e)}`));
    }
  }, [store]);
  const change = async (call: (key: string) => Promise<void>) => {
    if (!isTopicKey(key)) {
      setError(`“${key}” is not a topic key: 1 to 128 letters, digits and . _ : - (a letter or digit first).`);
      return;
    }
    setPending(true);
    setError(null);
    try {
      await call(key);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setPending(false);
    }
  };
  return {
    subscribed: topics?.includes(key) ?? false,
    loading: pending || (topics === null && loadError === null && error === null),
    error: error ?? (topics === null ? loadError : null),
    subscribe: () => change((k) => store.followTopic(k)),
    unsubscribe: () => change((k) => store.unfollowTopic(k)),
  };
}

export interface FollowTopicButtonProps {
  /** the topic's key, e.g. "project-42" */
  topic: string;
  /** the button's text; default "Follow" (pressed while following) */
  label?: string;
  /** how the topic is named to screen readers after the label ("Follow Project 42"); default the key */
  topicName?: string;
  className?: string;
}

/**
 * A toggle button (aria-pressed) following or unfollowing a topic for the signed-in user. Its name stays the same
 * ("Follow project-42"), pressed while following; busy (disabled) while loading or saving; a failure is announced
 * next to it.
 */
export function FollowTopicButton({ topic, label = 'Follow', topicName, className }: FollowTopicButtonProps) {
  const { subscribed, loading, error, subscribe, unsubscribe } = useTopicSubscription(topic);
  return (
    <span className={`notify notify-follow ${className ?? ''}`}>
      <button
        type="button"
        className={`notify-button notify-follow__button ${subscribed ? 'notify-button--primary' : ''}`}
        aria-pressed={subscribed}
        aria-busy={loading || undefined}
        disabled={loading}
        onClick={() => void (subscribed ? unsubscribe() : subscribe())}
      >
        {subscribed && <span aria-hidden="true">✓ </span>}
        {label}
        <span className="notify-sr"> {topicName ?? topic}</span>
      </button>
      {error && (
        <span className="notify-error notify-follow__error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
