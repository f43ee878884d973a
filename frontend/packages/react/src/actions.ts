import { actionFailure, completedAction, type Notification } from '@notify/client';
import { useState } from 'react';

/**
 * The state of a notification's action buttons (Approve, Reject, …) for a row that shows them (the <Inbox/>'s, the
 * dashboard's): `done` once the reader pressed one (its label and when, from the item's `completed_action`), `pressed`
 * while a press awaits the server (disable the buttons), `failure` a sentence to announce when it did not count (a 409
 * names the one chosen before), `announce` whether the press was made here (announce the completion; one that came done
 * from a reload or another tab is shown quietly). `complete` calls the server and rejects when it failed.
 */
export function useActionChoices(n: Notification, complete: ((n: Notification, actionId: string) => Promise<unknown>) | undefined) {
  const [pressed, setPressed] = useState<string | null>(null);
  const [announce, setAnnounce] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const press = (actionId: string) => {
    if (!complete) {
      return;
    }
    setPressed(actionId);
    setAnnounce(true);
    setFailure(null);
    complete(n, actionId)
      .catch((error: unknown) => setFailure(actionFailure(n, error)))
      .finally(() => setPressed(null));
  };
  return { done: completedAction(n), buttons: n.actions ?? [], pressed, announce, failure, press };
}
