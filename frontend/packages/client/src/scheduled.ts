import { ApiError, type ScheduledSend } from './rest';
import type { components } from './generated/notification';

/** An audience as the service answers it (a reader sees no `user_ids`), and as a sender wrote it. */
export type AudienceView = components['schemas']['AudienceView'];

/** the longest wait between two looks at the scheduled sends while some are pending (one scheduled elsewhere shows up by then) */
export const SCHEDULED_POLL_MAX_MS = 30_000;
/** how long after a send's time a list looks again: the service sends it within about a second after due */
const AFTER_DUE_MS = 1_000;

/**
 * When a list of pending scheduled sends (the dashboard's, @notify/react's) looks again: a little after the soonest is
 * due (so a sent one leaves the list on time), at least a second apart while one is overdue, at most
 * SCHEDULED_POLL_MAX_MS apart; not at all (false) while nothing is pending (a send from the same page refreshes it).
 */
export function nextLookMs(pending: Pick<ScheduledSend, 'send_at'>[] | undefined, now: number = Date.now()): number | false {
  if (!pending || pending.length === 0) {
    return false;
  }
  const soonest = Math.min(...pending.map((s) => new Date(s.send_at).getTime()));
  return Math.min(SCHEDULED_POLL_MAX_MS, Math.max(AFTER_DUE_MS, soonest - now + AFTER_DUE_MS));
}

/** An audience in a few words for a sender's lists: "2 users", "company company_a", "topic project-42 in company_a". */
export function audienceLabel(audience: AudienceView | undefined): string {
  switch (audience?.type) {
    case 'user':
      return '1 user';
    case 'users': {
      const n = audience.user_ids?.length ?? 0;
      return n === 0 ? 'users' : `${n} ${n === 1 ? 'user' : 'users'}`;
    }
    case 'company':
      return `company ${audience.company ?? ''}`.trim();
    case 'role':
      return `role ${audience.role ?? ''}${audience.company ? ` in ${audience.company}` : ''}`;
    case 'topic':
      return `topic ${audience.topic}${audience.company ? ` in ${audience.company}` : ''}`;
    case 'everyone':
      return 'everyone';
    default:
      return '';
  }
}

/**
 * Why cancelling a scheduled send failed, in a sentence for the sender: a 409 says it already went out (a sent
 * notification is not cancelled), a 404 that it is no longer scheduled (cancelled elsewhere); anything else names the
 * failure as `describe` tells it (the host's problem text).
 */
export function cancelFailure(send: Pick<ScheduledSend, 'title'>, error: unknown, describe: (error: unknown) => string): string {
  const status = error instanceof ApiError ? error.status : undefined;
  return status === 409
    ? `“${send.title}” already went out: a sent notification cannot be cancelled.`
    : status === 404
      ? `“${send.title}” is no longer scheduled.`
      : `“${send.title}” could not be cancelled: ${describe(error)}`;
}
