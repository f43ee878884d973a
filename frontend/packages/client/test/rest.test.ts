import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createRestClient, isScheduled, type ScheduledSend } from '../src/rest';

// The typed REST calls against a real HTTP server on 127.0.0.1 standing in for notification-service.
const scheduledSend = {
  id: '0193a5c2-7b10-7c3e-9f2a-5d4e3c2b1a00',
  status: 'scheduled',
  send_at: '2026-12-24T09:00:00Z',
  audience: { type: 'company', company: 'company_a' },
  title: 'Standup moved',
  type: 'meeting',
};
const stored = { id: 'n-5', seq: 5, title: 'Stored', message: 'm', type: 'info', priority: 'normal', audience: { type: 'company', company: 'company_a' } };
const subscription = { topic: 'project-42', company: 'company_a', user_id: 'u-1', since_seq: 77, subscribed_at: '2026-12-06T09:00:00Z' };
const requests: { method?: string; url?: string; authorization?: string; csrf?: string; body: string }[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, csrf: req.headers['x-notify-csrf'] as string | undefined, body });
    if (req.url === '/api/auth/session' && req.method === 'POST') {
      res
        .writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '120' })
        .end(JSON.stringify({ title: 'Too Many Requests', status: 429 }));
    } else if (req.url === '/api/auth/session/refresh') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-new', expires_in: 900 }));
    } else if (req.url === '/api/notifications/n7/delivery') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ notification_id: 'n7', audience_size: 3 }));
    } else if (req.headers.authorization === 'Bearer tok-revoked') {
      res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 401, title: 'Unauthorized' }));
    } else if (req.url === '/api/notifications/unread-count') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total: 3, by_priority: { urgent: 1 } }));
    } else if (req.url?.startsWith('/api/notifications/read-all')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ read_up_to: 42 }));
    } else if (req.url === '/api/notifications/seen') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seen_up_to: body.includes('up_to') ? 41 : 44 }));
    } else if (req.url === '/api/notifications/n-5/actions/approve') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ action_id: 'approve', completed_at: '2026-12-06T09:00:00Z' }));
    } else if (req.url === '/api/notifications/n-5/actions/reject') {
      res
        .writeHead(409, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 409, title: 'Conflict', detail: 'Another action was completed', action_id: 'approve' }));
    } else if (req.url === '/api/notifications/gone/archive') {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, title: 'Not Found' }));
    } else if (req.url === '/api/topics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [subscription] }));
    } else if (req.method === 'PUT' && /^\/api\/topics\/project-42\/(subscription|subscribers\/u-1)(\?|$)/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(subscription));
    } else if (req.url?.startsWith('/api/topics/project-42/subscribers?')) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ items: [{ user_id: 'u-1', since_seq: 77, subscribed_at: subscription.subscribed_at }], next_after: 'u-1' }));
    } else if (req.url === '/api/topics/bad%20key/subscription') {
      res
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 400, title: 'Bad Request', detail: 'key: not a topic key', violations: [{ field: 'key', message: 'not a topic key' }] }));
    } else if (req.url === '/api/topics/project-42/subscribers/someone-else') {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, title: 'Not Found', detail: 'No such user' }));
    } else if (req.url === '/api/notifications/scheduled') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([scheduledSend]));
    } else if (req.method === 'DELETE' && req.url === '/api/notifications/gone-out') {
      res
        .writeHead(409, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 409, title: 'Conflict', detail: 'This notification was already sent' }));
    } else if (req.method === 'POST' && req.url === '/api/notifications' && body.includes('"send_at"')) {
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(scheduledSend));
    } else if (req.method === 'POST' && req.url === '/api/notifications' && body.includes('"title":"Stored"')) {
      res.writeHead(body.includes('idempotency_key') ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify(stored));
    } else if (req.method === 'POST' && req.url === '/api/notifications') {
      res
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'title: must not be blank' }));
    } else {
      res.writeHead(204).end();
    }
  });
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createRestClient', () => {
  const reasons: string[] = [];
  const api = () => createRestClient({ baseUrl, token: async (reason) => (reasons.push(reason), 'tok-9') });

  it("calls the services' paths with the provider's token and answers their typed bodies", async () => {
    requests.length = 0;
    expect(await api().unreadCount()).toEqual({ total: 3, by_priority: { urgent: 1 } });
    await api().markRead('n 1');
    expect(await api().readAll(42)).toEqual({ read_up_to: 42 });
    await api().remove('n2');
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual([
      'GET /api/notifications/unread-count Bearer tok-9',
      'POST /api/notifications/n%201/read Bearer tok-9',
      'POST /api/notifications/read-all?up_to=42 Bearer tok-9',
      'DELETE /api/notifications/n2 Bearer tok-9',
    ]);
    expect(new Set(reasons)).toEqual(new Set(['connect']));
  });

  it("retries a 401 once with a token asked for as 'refresh', body and all", async () => {
    requests.length = 0;
    const asked: string[] = [];
    const api = createRestClient({ baseUrl, token: async (reason) => (asked.push(reason), reason === 'refresh' ? 'tok-9' : 'tok-revoked') });
    const failure = await api
      .send({ title: '', message: 'm', type: 'info', priority: 'normal', audience: { type: 'users', user_ids: ['u'] } })
      .catch((e: unknown) => e);
    expect(asked).toEqual(['connect', 'refresh']);
    expect(requests.map((r) => `${r.authorization} ${r.body}`)).toEqual([
      'Bearer tok-revoked {"title":"","message":"m","type":"info","priority":"normal","audience":{"type":"users","user_ids":["u"]}}',
      'Bearer tok-9 {"title":"","message":"m","type":"info","priority":"normal","audience":{"type":"users","user_ids":["u"]}}',
    ]);
    expect(failure).toMatchObject({ status: 400 }); // the retry's answer
  });

  it('answers the 401 when the provider has no fresh token', async () => {
    const api = createRestClient({ baseUrl, token: async (reason) => (reason === 'refresh' ? null : 'tok-revoked') });
    await expect(api.unreadCount()).rejects.toMatchObject({ status: 401 });
  });

  it("rejects with the service's problem document on a 4xx", async () => {
    const failure = await api()
      .send({ title: '', message: 'm', type: 'info', priority: 'normal', audience: { type: 'users', user_ids: ['u'] } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 400, problem: { detail: 'title: must not be blank' } });
  });

  it("calls a sender's and the directory's paths, repeatable query parameters as `type=a&type=b`", async () => {
    requests.length = 0;
    expect(await api().delivery('n7')).toEqual({ notification_id: 'n7', audience_size: 3 });
    await api().userCount({ company: 'company_a', role: 'admin' });
    await api().list({ limit: 20, unread: true, type: ['alert', 'meeting'] });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/notifications/n7/delivery',
      'GET /api/auth/users/count?company=company_a&role=admin',
      'GET /api/notifications?limit=20&unread=true&type=alert&type=meeting',
    ]);
  });

  it('answers a send with send_at as the scheduled send (202), one without as the notification (201, 200 for a repeat)', async () => {
    const request = { title: 'Stored', message: 'm', type: 'info', priority: 'normal' as const, audience: { type: 'company' as const, company: 'company_a' } };
    const later = await api().send({ ...request, title: 'Standup moved', send_at: '2026-12-24T10:00:00+01:00' });
    expect(isScheduled(later)).toBe(true);
    if (isScheduled(later)) {
      expect(later.send_at).toBe('2026-12-24T09:00:00Z'); // typed as ScheduledSend: no cast
    }
    const now = await api().send(request);
    expect(isScheduled(now)).toBe(false);
    expect(now).toMatchObject({ id: 'n-5', seq: 5 });
    const repeat = await api().send({ ...request, idempotency_key: 'k-1' });
    expect(isScheduled(repeat)).toBe(false);
  });

  it("lists the caller's scheduled sends and cancels one; a send that went out answers 409", async () => {
    requests.length = 0;
    const pending: ScheduledSend[] = await api().scheduled();
    expect(pending).toEqual([scheduledSend]);
    await expect(api().cancelScheduled(scheduledSend.id)).resolves.toBeUndefined();
    const late = await api()
      .cancelScheduled('gone-out')
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ApiError);
    expect(late).toMatchObject({ status: 409, problem: { detail: 'This notification was already sent' } });
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual([
      'GET /api/notifications/scheduled Bearer tok-9',
      `DELETE /api/notifications/${scheduledSend.id} Bearer tok-9`,
      'DELETE /api/notifications/gone-out Bearer tok-9',
    ]);
  });

  it('makes the session calls without a token, with the CSRF header, and tells a 429 when to try again', async () => {
    requests.length = 0;
    const session = api().session;
    expect(await session.refresh()).toEqual({ access_token: 'tok-new', expires_in: 900 });
    const refused = await session.login({ username: 'user1', password: 'wrong' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, retryAfter: '120', problem: { title: 'Too Many Requests' } });
    await session.logout();
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization} ${r.csrf}`)).toEqual([
      'POST /api/auth/session/refresh undefined 1',
      'POST /api/auth/session undefined 1',
      'DELETE /api/auth/session undefined 1',
    ]);
    expect(requests[1]?.body).toBe('{"username":"user1","password":"wrong"}');
  });

  it('marks seen up to a seq or everything, archives, unarchives and lists the archived ones', async () => {
    requests.length = 0;
    expect(await api().markSeen(41)).toEqual({ seen_up_to: 41 });
    expect(await api().markSeen()).toEqual({ seen_up_to: 44 });
    await api().archive('n 1');
    await api().unarchive('n 1');
    await api().list({ archived: true });
    expect(requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /api/notifications/seen {"up_to":41}',
      'POST /api/notifications/seen {}',
      'POST /api/notifications/n%201/archive ',
      'POST /api/notifications/n%201/unarchive ',
      'GET /api/notifications?archived=true ',
    ]);
    await expect(api().archive('gone')).rejects.toMatchObject({ status: 404 });
  });

  it("completes an action: the completion; another action after it is the 409 problem naming the completed one", async () => {
    requests.length = 0;
    expect(await api().completeAction('n-5', 'approve')).toEqual({ action_id: 'approve', completed_at: '2026-12-06T09:00:00Z' });
    const conflict = await api().completeAction('n-5', 'reject').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict).toMatchObject({ status: 409, problem: { action_id: 'approve' } });
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual([
      'POST /api/notifications/n-5/actions/approve Bearer tok-9',
      'POST /api/notifications/n-5/actions/reject Bearer tok-9',
    ]);
  });

  it("follows and unfollows topics for the caller, and manages a topic's subscribers, answering the contract's shapes", async () => {
    requests.length = 0;
    expect(await api().topics()).toEqual({ items: [subscription] });
    expect(await api().subscribe('project-42')).toEqual(subscription);
    await expect(api().unsubscribe('project-42')).resolves.toBeUndefined();
    expect(await api().subscribers('project-42', { after: 'u-0', limit: 2 })).toEqual({
      items: [{ user_id: 'u-1', since_seq: 77, subscribed_at: subscription.subscribed_at }],
      next_after: 'u-1',
    });
    expect(await api().addSubscriber('project-42', 'u-1')).toEqual(subscription);
    await expect(api().removeSubscriber('project-42', 'u-1', { company: 'company_b' })).resolves.toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual([
      'GET /api/topics Bearer tok-9',
      'PUT /api/topics/project-42/subscription Bearer tok-9',
      'DELETE /api/topics/project-42/subscription Bearer tok-9',
      'GET /api/topics/project-42/subscribers?after=u-0&limit=2 Bearer tok-9',
      'PUT /api/topics/project-42/subscribers/u-1 Bearer tok-9',
      'DELETE /api/topics/project-42/subscribers/u-1?company=company_b Bearer tok-9',
    ]);
  });

  it("rejects a topic call with the service's problem: a bad key (400 naming it), someone else's id (404)", async () => {
    const bad = await api()
      .subscribe('bad key')
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({ status: 400, problem: { violations: [{ field: 'key' }] } });
    await expect(api().addSubscriber('project-42', 'someone-else')).rejects.toMatchObject({ status: 404, problem: { detail: 'No such user' } });
  });

  it('sends to a topic audience as the contract writes it', async () => {
    requests.length = 0;
    const sent = await api().send({ title: 'Stored', message: 'm', type: 'info', priority: 'normal', audience: { type: 'topic', topic: 'project-42', company: 'company_a' } });
    expect(sent).toMatchObject({ id: 'n-5' });
    expect(JSON.parse(requests[0]?.body ?? '{}')).toMatchObject({ audience: { type: 'topic', topic: 'project-42', company: 'company_a' } });
  });
});
