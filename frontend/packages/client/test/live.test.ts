import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { LiveSocket, type LiveEvent, type LiveSocketOptions } from '../src/socket';
import { notification } from './frames';
import { startGateway } from './gateway';

// The live socket against a real WebSocket server (test/gateway.ts) over real sockets and real timers:
// what a user relies on is that nothing is missed or shown twice across reconnects, and that the
// gateway hears back (acks) about what reached the app.

type Gateway = Awaited<ReturnType<typeof startGateway>>;
const running: { gateways: Gateway[]; sockets: LiveSocket[] } = { gateways: [], sockets: [] };

afterEach(async () => {
  running.sockets.splice(0).forEach((s) => s.stop());
  await Promise.all(running.gateways.splice(0).map((g) => g.close()));
});

async function gateway(options?: Parameters<typeof startGateway>[0]) {
  const g = await startGateway(options);
  running.gateways.push(g);
  return g;
}

function client(url: string, overrides: Partial<LiveSocketOptions> = {}) {
  const events: LiveEvent[] = [];
  const statuses: string[] = [];
  const live = new LiveSocket({
    url,
    token: async () => 'tok-1',
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket,
    baseDelayMs: 40,
    maxDelayMs: 1000,
    ...overrides,
  });
  running.sockets.push(live);
  live.start();
  return { live, events, statuses };
}

const ids = (events: LiveEvent[]) => events.filter((e) => e.type === 'notification').map((e) => (e.type === 'notification' ? e.id : ''));
const framesOf = (c: { frames: Record<string, unknown>[] }, type: string) => c.frames.filter((f) => f.type === type);
const exp = Math.floor(Date.now() / 1000) + 3600;
const jwt = (sub: string) => `h.${btoa(JSON.stringify({ sub, exp }))}.s`;

/** A tab of `user` sharing live events on `channel`, connected, and its socket on the gateway. */
async function tab(g: Gateway, channel: string, user: string) {
  const c = client(g.url, { tabs: channel, token: async () => jwt(user) });
  await vi.waitFor(() => expect(c.statuses).toContain('connected'));
  return { ...c, connection: g.latest() };
}

describe('LiveSocket against a real WebSocket server', () => {
  it('authenticates with the bearer-token-carrier subprotocol, batches its acks, and resumes after a dropped connection without showing anything twice', async () => {
    const g = await gateway();
    const { live, events, statuses } = client(g.url);
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    const first = g.latest();
    expect(first.token).toBe('tok-1');

    first.send(notification('a', 1));
    first.send(notification('b', 2));
    await vi.waitFor(() => expect(framesOf(first, 'ack')).toEqual([{ type: 'ack', ids: ['a', 'b'] }]));

    first.kill();
    await vi.waitFor(() => expect(g.connections).toHaveLength(2));
    const second = g.latest();
    await vi.waitFor(() => expect(framesOf(second, 'resume')).toEqual([{ type: 'resume', ref: 'resume', last_seq: 2 }]));
    // the gateway replays from its log: b again (already shown), then c
    second.send(notification('b', 2));
    second.send(notification('c', 3));
    await vi.waitFor(() => expect(framesOf(second, 'ack')).toEqual([{ type: 'ack', ids: ['b', 'c'] }]));
    expect(ids(events)).toEqual(['a', 'b', 'c']);
    expect(live.lastSeq).toBe(3);
    expect(statuses).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('shows a snoozed notification again when it resurfaces, acks it again, and drops a replay of that same wake-up', async () => {
    const g = await gateway();
    const { events, statuses } = client(g.url);
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    const socket = g.latest();
    socket.send(notification('a', 1));
    await vi.waitFor(() => expect(framesOf(socket, 'ack')).toEqual([{ type: 'ack', ids: ['a'] }]));

    socket.send({ ...notification('a', 7), resurfaced: true });
    socket.send({ ...notification('a', 7), resurfaced: true }); // a resume replaying the same wake-up
    socket.send(notification('a', 1)); // and the original again
    socket.send(notification('b', 8));
    await vi.waitFor(() => expect(ids(events)).toEqual(['a', 'a', 'b']));
    expect(events[1]).toMatchObject({ type: 'notification', id: 'a', seq: 7, resurfaced: true, payload: { read: false, seq: 7 } });
    await vi.waitFor(() => expect(framesOf(socket, 'ack').flatMap((f) => f.ids as string[])).toEqual(['a', 'a', 'b']));
  });

  it('resumes from before a notification it could not ack before the connection dropped', async () => {
    const g = await gateway();
    const { events, statuses } = client(g.url);
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    const first = g.latest();
    first.send(notification('a', 7));
    await vi.waitFor(() => expect(framesOf(first, 'ack')).toHaveLength(1));
    first.send(notification('b', 8));
    first.kill(); // before the ack's batch went out
    await vi.waitFor(() => expect(g.connections).toHaveLength(2));
    const second = g.latest();
    await vi.waitFor(() => expect(framesOf(second, 'resume')).toEqual([{ type: 'resume', ref: 'resume', last_seq: 7 }]));
    second.send(notification('b', 8));
    await vi.waitFor(() => expect(framesOf(second, 'ack')).toEqual([{ type: 'ack', ids: ['b'] }]));
    expect(framesOf(first, 'ack')).toEqual([{ type: 'ack', ids: ['a'] }]);
    expect(ids(events)).toEqual(['a', 'b']);
  });

  it('acks a burst in frames of at most 100 ids', async () => {
    const g = await gateway();
    const { events, statuses } = client(g.url);
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    const burst = Array.from({ length: 150 }, (_, i) => `n${i + 1}`);
    burst.forEach((id, i) => g.latest().send(notification(id, i + 1)));
    await vi.waitFor(() => expect(framesOf(g.latest(), 'ack').flatMap((f) => f.ids as string[])).toEqual(burst));
    expect(framesOf(g.latest(), 'ack').map((f) => (f.ids as string[]).length)).toEqual([100, 50]);
    expect(ids(events)).toEqual(burst);
  });

  it('retries a refused upgrade with growing delays, asking the token provider each time, then connects', async () => {
    let refusals = 3;
    const g = await gateway({ refuse: () => refusals-- > 0 });
    const reasons: string[] = [];
    const { statuses } = client(g.url, {
      token: async (reason) => (reasons.push(reason), 'tok-1'),
      random: () => 1, // the whole backoff, no jitter below it
    });
    await vi.waitFor(() => expect(statuses).toContain('connected'), { timeout: 10_000 });
    expect(g.refused).toHaveLength(3);
    const attempts = [...g.refused, g.latest().openedAt];
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] as number));
    // 40, 80, 160 ms of backoff (plus the time a refused handshake takes)
    expect(gaps[0]).toBeGreaterThanOrEqual(40);
    expect(gaps[1]).toBeGreaterThanOrEqual(80);
    expect(gaps[2]).toBeGreaterThanOrEqual(160);
    expect(reasons).toEqual(['connect', 'connect', 'connect', 'connect']);
    expect(statuses).toEqual(['reconnecting', 'connected']);
  });

  it("hands the gateway a fresh token from the provider before the current one's exp", async () => {
    const g = await gateway();
    const soon = `h.${btoa(JSON.stringify({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 2 }))}.s`;
    const { statuses } = client(g.url, {
      token: async (reason) => (reason === 'connect' ? soon : jwt('user-1')),
      refreshLeadMs: 1900, // at most a second from now
    });
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    expect(g.latest().token).toBe(soon);
    await vi.waitFor(() => expect(framesOf(g.latest(), 'refresh_token')).toEqual([{ type: 'refresh_token', ref: 'refresh', token: jwt('user-1') }]));
    expect(g.connections).toHaveLength(1);
  });

  it("follows a drain hint: closes, waits the hint's delay, and resumes on a new connection", async () => {
    const g = await gateway();
    const { statuses } = client(g.url, { baseDelayMs: 60_000 }); // only the hint's delay can bring it back in time
    await vi.waitFor(() => expect(statuses).toContain('connected'));
    const first = g.latest();
    first.send(notification('a', 11));
    await vi.waitFor(() => expect(framesOf(first, 'ack')).toHaveLength(1));
    const hintAt = Date.now();
    first.send({ type: 'reconnect', delay_ms: 100, reason: 'draining' });
    await vi.waitFor(() => expect(g.connections).toHaveLength(2));
    expect(g.latest().openedAt - hintAt).toBeGreaterThanOrEqual(100);
    await vi.waitFor(() => expect(framesOf(g.latest(), 'resume')).toEqual([{ type: 'resume', ref: 'resume', last_seq: 11 }]));
  });

  it("shares what one tab's socket receives with the other tabs of the same user, and their next resume starts after it", async () => {
    const g = await gateway();
    const channel = `notify-test-${Math.random()}`;
    const tabA = (await tab(g, channel, 'user-1')).connection;
    const b = client(g.url, { tabs: channel, token: async () => jwt('user-1') });
    const other = client(g.url, { tabs: channel, token: async () => jwt('user-2') });
    await vi.waitFor(() => expect(g.connections).toHaveLength(3));
    await vi.waitFor(() => expect([b.statuses, other.statuses]).toEqual([['connected'], ['connected']]));

    tabA.send(notification('a', 21));
    tabA.send({ type: 'notification_read', notification_id: 'a', seq: 22 });
    await vi.waitFor(() => expect(b.events.map((e) => e.type)).toEqual(['notification', 'notification_read']));
    expect(ids(b.events)).toEqual(['a']);
    expect(b.live.lastSeq).toBe(22);
    expect(other.events).toEqual([]); // another user's tab

    // b's own socket brings a (it missed nothing): shown once, acked on b's socket all the same
    const tabB = g.connections.find((c) => c !== tabA && c.token === jwt('user-1'));
    if (!tabB) throw new Error("b's connection");
    tabB.send(notification('a', 21));
    await vi.waitFor(() => expect(framesOf(tabB, 'ack')).toEqual([{ type: 'ack', ids: ['a'] }]));
    expect(ids(b.events)).toEqual(['a']);
  });

  it("hands the app the seen watermark and archive frames, and shares them with the user's other tabs", async () => {
    const g = await gateway();
    const channel = `notify-test-${Math.random()}`;
    const a = await tab(g, channel, 'user-1');
    const b = await tab(g, channel, 'user-1');

    a.connection.send({ type: 'all_seen', seen_up_to: 30, seq: 31 });
    a.connection.send({ type: 'notification_archived', notification_id: 'x', seq: 32 });
    a.connection.send({ type: 'notification_unarchived', notification_id: 'x', seq: 33 });
    const expected = [
      { type: 'all_seen', seen_up_to: 30, seq: 31 },
      { type: 'notification_archived', notification_id: 'x', seq: 32 },
      { type: 'notification_unarchived', notification_id: 'x', seq: 33 },
    ];
    await vi.waitFor(() => expect(a.events).toEqual(expected));
    await vi.waitFor(() => expect(b.events).toEqual(expected));
    expect([a.live.lastSeq, b.live.lastSeq]).toEqual([33, 33]);
  });

  it("hands the app a completed action and shares it with the user's other tabs", async () => {
    const g = await gateway();
    const channel = `notify-test-${Math.random()}`;
    const a = await tab(g, channel, 'user-1');
    const b = await tab(g, channel, 'user-1');

    const done = { type: 'action_completed', notification_id: 'x', action_id: 'approve', completed_at: '2026-12-06T09:00:00Z', seq: 40 };
    a.connection.send(done);
    await vi.waitFor(() => expect(a.events).toEqual([done]));
    await vi.waitFor(() => expect(b.events).toEqual([done]));
    expect([a.live.lastSeq, b.live.lastSeq]).toEqual([40, 40]);
  });
  it("hands the app a topic followed or unfollowed elsewhere, shares it with the user's other tabs, and resumes after it", async () => {
    const g = await gateway();
    const channel = `notify-test-${Math.random()}`;
    const a = await tab(g, channel, 'user-1');
    const b = await tab(g, channel, 'user-1');

    const followed = { type: 'subscription_changed', seq: 50, topic: 'project-42', subscribed: true };
    const unfollowed = { type: 'subscription_changed', seq: 51, topic: 'project-42', subscribed: false };
    a.connection.send(followed);
    a.connection.send(unfollowed);
    await vi.waitFor(() => expect(a.events).toEqual([followed, unfollowed]));
    await vi.waitFor(() => expect(b.events).toEqual([followed, unfollowed]));
    expect([a.live.lastSeq, b.live.lastSeq]).toEqual([51, 51]);

    // the next socket resumes after it (a replay of the frame is not asked for again)
    a.connection.kill();
    await vi.waitFor(() => expect(g.connections.filter((c) => framesOf(c, 'resume').length > 0)).toHaveLength(1));
    const resumed = g.connections.find((c) => framesOf(c, 'resume').length > 0);
    expect(framesOf(resumed!, 'resume')).toEqual([{ type: 'resume', ref: 'resume', last_seq: 51 }]);
  });
});
