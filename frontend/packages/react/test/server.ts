import type { ScheduledSend } from '@notify/client';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Stored {
  id: string;
  seq: number;
  title: string;
  message: string;
  type: string;
  priority: string;
  read: boolean;
  created_at: string;
  archived?: boolean;
  snoozed_until?: string;
  actions?: { id: string; label: string; style: string }[];
  completed_action?: { action_id: string; completed_at: string };
}
export interface Recorded {
  method?: string;
  url?: string;
  authorization?: string;
  csrf?: string;
  body: string;
}

/** Sets a gate (`set`) that holds answers until the returned function is called. */
function hold(set: (gate: Promise<void> | null) => void): () => void {
  let release = () => undefined as void;
  set(new Promise<void>((r) => (release = r)));
  return () => {
    set(null);
    release();
  };
}

export const stored = (id: string, seq: number, read = false): Stored => ({
  id,
  seq,
  title: `t${seq}`,
  message: `m${seq}`,
  type: 'info',
  priority: 'normal',
  read,
  created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
});

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for notification-service (and auth-service's
 * session refresh): it keeps an inbox, answers the calls the components make, and records them.
 */
export async function startApi() {
  const items: Stored[] = [];
  let preferences: Record<string, boolean> = { warning: false };
  let quietHours: { start: string; end: string; timezone: string } | undefined;
  /** zones this stand-in's "JVM" does not know (a browser's tzdata may be newer than the service's) */
  const unknownZones = new Set<string>();
  /** the topics user1 follows in their company */
  const topics = new Set<string>();
  /** answered (once) instead of the next topics call (the list, a subscribe, an unsubscribe): a failure to show */
  let topicFailure: { status: number; body: unknown } | null = null;
  let heldTopics: Promise<void> | null = null;
  let seenUpTo = 0;
  /** user1's sends with send_at; one whose time has passed went out (listed no more, a cancel is 409) */
  const scheduled: ScheduledSend[] = [];
  const due = (p: ScheduledSend) => Date.parse(p.send_at) <= Date.now();
  const requests: Recorded[] = [];
  let held: Promise<void> | null = null;
  let heldAction: Promise<void> | null = null;
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const problem = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status, ...(body as object) }));
  const subscription = (topic: string) => ({ topic, company: 'company_a', user_id: 'user1', since_seq: 7, subscribed_at: new Date().toISOString() });
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const csrf = req.headers['x-notify-csrf'] as string | undefined;
      requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, csrf, body });
      const url = new URL(req.url ?? '/', 'http://x');
      const byId = url.pathname.match(/^\/api\/notifications\/([^/]+)(\/read|\/archive|\/unarchive|\/snooze)?$/);
      const inbox = items.filter((n) => !n.archived && !n.snoozed_until);
      if (url.pathname === '/api/auth/session/refresh') {
        return csrf === '1' ? json(res, 200, { access_token: 'tok-from-cookie', expires_in: 300 }) : json(res, 403, { status: 403 });
      }
      if (!req.headers.authorization?.startsWith('Bearer tok-')) {
        return json(res, 401, { status: 401, title: 'Unauthorized' });
      }
      if (req.method === 'GET' && url.pathname === '/api/notifications') {
        const archived = url.searchParams.get('archived') === 'true';
        const page = { items: items.filter((n) => !n.archived === !archived && !n.snoozed_until).sort((a, b) => b.seq - a.seq), next_cursor: null };
        return void (held ?? Promise.resolve()).then(() => json(res, 200, page));
      }
      if (url.pathname === '/api/notifications/unread-count') {
        const unread = inbox.filter((n) => !n.read && preferences[n.type] !== false);
        return json(res, 200, { total: unread.length, unseen: unread.filter((n) => n.seq > seenUpTo).length });
      }
      if (url.pathname === '/api/notifications/seen') {
        const upTo = (JSON.parse(body || '{}') as { up_to?: number }).up_to ?? Math.max(0, ...items.map((n) => n.seq));
        seenUpTo = Math.max(seenUpTo, upTo);
        return json(res, 200, { seen_up_to: seenUpTo });
      }
      if (url.pathname === '/api/notifications/read-all') {
        const upTo = Number(url.searchParams.get('up_to') ?? Infinity);
        items.filter((n) => n.seq <= upTo).forEach((n) => (n.read = true));
        return json(res, 200, { read_up_to: upTo });
      }
      const answerPreferences = () => json(res, 200, { types: preferences, ...(quietHours ? { quiet_hours: quietHours } : {}) });
      if (url.pathname === '/api/notifications/preferences') {
        if (req.method === 'PUT') {
          // as the service: the listed types change, the others keep theirs; quiet_hours, when given, replaces them
          const put = JSON.parse(body) as { types: Record<string, boolean>; quiet_hours?: typeof quietHours };
          const zone = put.quiet_hours?.timezone;
          if (zone && unknownZones.has(zone)) {
            const message = 'must be an IANA time zone id, such as Europe/Berlin';
            return problem(res, 400, { title: 'Bad Request', detail: `quiet_hours.timezone: ${message}`, violations: [{ field: 'quiet_hours.timezone', in: 'body', message }] });
          }
          preferences = { ...preferences, ...put.types };
          quietHours = put.quiet_hours ?? quietHours;
        }
        return answerPreferences();
      }
      if (url.pathname === '/api/notifications/preferences/quiet-hours' && req.method === 'DELETE') {
        quietHours = undefined;
        return answerPreferences();
      }
      if (req.method === 'GET' && url.pathname === '/api/notifications/scheduled') {
        return json(res, 200, scheduled.filter((p) => !due(p)).sort((a, b) => Date.parse(a.send_at) - Date.parse(b.send_at)));
      }
      const pending = req.method === 'DELETE' ? scheduled.find((p) => p.id === decodeURIComponent(byId?.[1] ?? '')) : undefined;
      if (pending && due(pending)) {
        return problem(res, 409, { title: 'Conflict', detail: 'The notification was already sent' });
      }
      if (pending) {
        scheduled.splice(scheduled.indexOf(pending), 1);
        return res.writeHead(204).end();
      }
      const failure = url.pathname.startsWith('/api/topics') ? topicFailure : null;
      if (failure) {
        topicFailure = null;
        return problem(res, failure.status, failure.body);
      }
      if (req.method === 'GET' && url.pathname === '/api/topics') {
        return json(res, 200, { items: [...topics].sort().map((topic) => subscription(topic)) });
      }
      const topic = url.pathname.match(/^\/api\/topics\/([^/]+)\/subscription$/);
      if (topic) {
        const key = decodeURIComponent(topic[1] ?? '');
        const answer = () => {
          if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(key)) {
            return problem(res, 400, { title: 'Bad Request', violations: [{ field: 'key', in: 'path', message: 'must be a topic key' }] });
          }
          if (req.method === 'PUT') {
            topics.add(key);
            return json(res, 200, subscription(key));
          }
          topics.delete(key);
          res.writeHead(204).end();
        };
        return void (heldTopics ?? Promise.resolve()).then(answer);
      }
      const action = url.pathname.match(/^\/api\/notifications\/([^/]+)\/actions\/([^/]+)$/);
      if (action && req.method === 'POST') {
        // one completion per notification (and this one reader): the same again answers it, another is 409
        const n = items.find((x) => x.id === decodeURIComponent(action[1] ?? ''));
        const actionId = decodeURIComponent(action[2] ?? '');
        if (!n?.actions?.some((a) => a.id === actionId)) {
          return json(res, 404, { status: 404, title: 'Not Found' });
        }
        const answer = () => {
          n.completed_action ??= { action_id: actionId, completed_at: new Date().toISOString() };
          if (n.completed_action.action_id !== actionId) {
            return json(res, 409, { status: 409, title: 'Conflict', action_id: n.completed_action.action_id });
          }
          json(res, 200, n.completed_action);
        };
        return void (heldAction ?? Promise.resolve()).then(answer);
      }
      const found = items.find((n) => n.id === decodeURIComponent(byId?.[1] ?? ''));
      if (found && byId?.[2] === '/snooze' && req.method === 'POST') {
        found.snoozed_until = (JSON.parse(body) as { until: string }).until;
        return res.writeHead(204).end();
      }
      if (found && byId?.[2] && req.method === 'POST') {
        found.read = true;
        found.archived = byId[2] === '/archive' ? true : byId[2] === '/unarchive' ? false : found.archived;
        return res.writeHead(204).end();
      }
      if (found && req.method === 'DELETE') {
        items.splice(items.indexOf(found), 1);
        return res.writeHead(204).end();
      }
      json(res, 404, { status: 404, title: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    items,
    scheduled,
    requests,
    calls: () => requests.map((r) => `${r.method} ${r.url}`),
    /** the inbox page is read now but answered only when the returned function is called */
    holdList: () => hold((p) => (held = p)),
    /** action completions are read now but answered only when the returned function is called */
    holdActions: () => hold((p) => (heldAction = p)),
    topics,
    unknownZones,
    quietHours: () => quietHours,
    preferences: () => preferences,
    /** the next topics call (the list, a subscribe, an unsubscribe) is answered with this problem */
    failNextTopicCall: (status: number, body: object) => (topicFailure = { status, body }),
    /** topic subscribes and unsubscribes are read now but answered only when the returned function is called */
    holdTopics: () => hold((p) => (heldTopics = p)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
