import { z } from 'zod';
import type { NotificationRequest, UserCountQuery } from '@notify/client';
import { topicKey } from '@/features/topics/key';

/** how far ahead a send may be scheduled (the service's limit) */
export const SEND_AT_MAX_DAYS = 366;

/**
 * What the compose form checks itself: what a person needs to see before sending. Everything else
 * (type syntax, lengths, who may send to whom) is the server's call, and its violations are shown
 * on the fields they name.
 */
export const composeSchema = z
  .object({
    audienceType: z.enum(['users', 'company', 'role', 'topic', 'everyone']),
    userIds: z.array(z.string()),
    company: z.string().trim(),
    role: z.enum(['user', 'admin', 'service']),
    roleCompany: z.string().trim(),
    /** a topic audience's key; its company is `company` (the sender's own, unless they pick another) */
    topic: z.string().trim(),
    type: z.string().trim(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    title: z.string().trim(),
    message: z.string().trim(),
    link: z.string().trim(),
    data: z.string().trim(),
    /** "Send later": a datetime-local value (the browser's local time, no offset), '' for now */
    sendAt: z.string().trim(),
  })
  // one refinement for everything, so that every problem is shown at once (zod skips refinements
  // while the object itself has issues)
  .superRefine((v, ctx) => {
    if (!v.title) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'Give it a title' });
    }
    if (!v.message) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'Write a message' });
    }
    if (v.audienceType === 'users' && v.userIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['userIds'], message: 'Pick at least one user' });
    }
    if ((v.audienceType === 'company' || v.audienceType === 'topic') && !v.company) {
      ctx.addIssue({ code: 'custom', path: ['company'], message: 'Name the company' });
    }
    const topic = v.audienceType === 'topic' ? topicKey.safeParse(v.topic) : null;
    if (topic && !topic.success) {
      ctx.addIssue({ code: 'custom', path: ['topic'], message: topic.error.issues[0]?.message ?? 'Name the topic' });
    }
    if (v.sendAt) {
      const at = new Date(v.sendAt).getTime();
      if (Number.isNaN(at)) {
        ctx.addIssue({ code: 'custom', path: ['sendAt'], message: 'Give a date and time' });
      } else if (at <= Date.now()) {
        ctx.addIssue({ code: 'custom', path: ['sendAt'], message: 'Pick a time in the future' });
      } else if (at > Date.now() + SEND_AT_MAX_DAYS * 24 * 3600 * 1000) {
        ctx.addIssue({ code: 'custom', path: ['sendAt'], message: `At most ${SEND_AT_MAX_DAYS} days ahead` });
      }
    }
    if (v.data) {
      try {
        const parsed: unknown = JSON.parse(v.data);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new Error();
        }
      } catch {
        ctx.addIssue({ code: 'custom', path: ['data'], message: 'Data must be a JSON object, like {"meeting_id": 42}' });
      }
    }
  });

export type ComposeValues = z.infer<typeof composeSchema>;

export const emptyCompose: ComposeValues = {
  audienceType: 'company',
  userIds: [],
  company: '',
  role: 'user',
  roleCompany: '',
  topic: '',
  type: 'general',
  priority: 'normal',
  title: '',
  message: '',
  link: '',
  data: '',
  sendAt: '',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-24T10:00:00+01:00": a local date-time (a datetime-local value) as ISO-8601 with this browser's offset. */
export function isoWithOffset(local: Date): string {
  const minutes = -local.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
  return (
    `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}` +
    `T${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}${offset}`
  );
}

/** The value a datetime-local input shows for `date` (local time, to the second). */
export function localInputValue(date: Date): string {
  return isoWithOffset(date).slice(0, 19);
}

/** The form as the API's NotificationRequest (the generated type: a renamed field fails the build). */
export function toRequest(v: ComposeValues): NotificationRequest {
  const content = {
    title: v.title.trim(),
    message: v.message.trim(),
    type: v.type || 'general',
    priority: v.priority,
    link: v.link || undefined,
    data: v.data ? (JSON.parse(v.data) as Record<string, unknown>) : undefined,
    send_at: v.sendAt ? isoWithOffset(new Date(v.sendAt)) : undefined,
  };
  if (v.audienceType === 'topic') {
    return { audience: { type: 'topic', topic: v.topic, company: v.company }, ...content };
  }
  const audience: NotificationRequest['audience'] =
    v.audienceType === 'users'
      ? { type: 'users', user_ids: v.userIds }
      : v.audienceType === 'company'
        ? { type: 'company', company: v.company }
        : v.audienceType === 'role'
          ? { type: 'role', role: v.role, ...(v.roleCompany ? { company: v.roleCompany } : {}) }
          : { type: 'everyone' };
  return { audience, ...content };
}

/** Which form field a server violation (`audience.user_ids`, `title`, …) belongs to. */
export function fieldOf(violationField: string | undefined): keyof ComposeValues | null {
  const f = (violationField ?? '').replace(/^#?\/?/, '').replace(/\//g, '.');
  if (f.startsWith('audience.user_ids')) return 'userIds';
  if (f === 'audience.company') return 'company';
  if (f === 'audience.role') return 'role';
  if (f === 'audience.topic') return 'topic';
  if (f === 'send_at') return 'sendAt';
  if (f.startsWith('audience')) return 'audienceType';
  const direct: (keyof ComposeValues)[] = ['title', 'message', 'type', 'priority', 'link', 'data'];
  const match = direct.find((d) => f === d || f.startsWith(`${d}.`));
  return match ?? null;
}

/**
 * What to count for the "reaches N people" line (`GET /api/auth/users/count`): null while the
 * audience is a list of users (counted by hand) or a company not yet picked.
 */
export function reachQuery(v: Pick<ComposeValues, 'audienceType' | 'company' | 'role' | 'roleCompany'>): UserCountQuery | null {
  switch (v.audienceType) {
    case 'company':
      return v.company ? { company: v.company } : null;
    case 'role':
      return { role: v.role, ...(v.roleCompany ? { company: v.roleCompany } : {}) };
    case 'everyone':
      return {};
    default:
      return null;
  }
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** "Reaches 2 people in Company A.": what a send to this audience reaches, as far as it is known yet. */
export function reachSentence(
  v: Pick<ComposeValues, 'audienceType' | 'userIds' | 'company' | 'role' | 'roleCompany'> & Partial<Pick<ComposeValues, 'topic'>>,
  count: number | undefined,
  companyName: (slug: string) => string,
): string {
  if (v.audienceType === 'users') {
    return v.userIds.length === 0 ? 'Pick the people to send to.' : `Reaches ${people(v.userIds.length)}.`;
  }
  if (v.audienceType === 'topic') {
    // the directory does not count a topic's followers: the delivery card tells how many it reached
    return !v.topic ? 'Name the topic.' : !v.company ? 'Pick a company.' : `Reaches whoever follows “${v.topic}” in ${companyName(v.company)}.`;
  }
  if (reachQuery(v) === null) {
    return 'Pick a company.';
  }
  const company = v.audienceType === 'company' ? v.company : v.audienceType === 'role' ? v.roleCompany : '';
  const within = company ? ` in ${companyName(company)}` : '';
  if (count !== undefined) {
    return `Reaches ${people(count)}${within}.`;
  }
  return v.audienceType === 'role' ? `Reaches everyone with the role ${v.role}${within}.` : `Reaches everyone${within}.`;
}
