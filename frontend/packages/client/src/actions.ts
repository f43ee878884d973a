import { ApiError, type Notification } from './rest';

/** A notification's action button as the inbox shows it: `style` one of primary, secondary (the default), danger. */
export type ActionButton = NonNullable<Notification['actions']>[number];

/** The label of one of the notification's actions, or its id when it has none such (an action since removed). */
export function actionLabel(n: Notification, actionId: string): string {
  return n.actions?.find((a) => a.id === actionId)?.label ?? actionId;
}

/** What the reader completed on it (its label, and when), or undefined while its buttons are still to be pressed. */
export function completedAction(n: Notification): { id: string; label: string; completedAt: string } | undefined {
  const done = n.completed_action;
  return done ? { id: done.action_id, label: actionLabel(n, done.action_id), completedAt: done.completed_at } : undefined;
}

/**
 * Why a press of an action button failed, in a sentence for the reader: a 409 names the action completed before
 * (in another tab or device); anything else says the press did not count.
 */
export function actionFailure(n: Notification, error: unknown): string {
  const before = error instanceof ApiError && error.status === 409 ? (error.problem as { action_id?: unknown } | null)?.action_id : undefined;
  return typeof before === 'string'
    ? `Already answered: “${actionLabel(n, before)}” was chosen before.`
    : `Could not record your choice${error instanceof ApiError ? ` (HTTP ${error.status})` : ''}. Try again.`;
}
