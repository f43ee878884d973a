// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './fake-socket';
import { notification } from './frames';
import { ACK_BATCH_MS, LiveSocket, type LiveEvent } from '../src/socket';

const latest = () => FakeSocket.latest();
const acks = (ws: FakeSocket) => ws.sent.filter((f) => f.type === 'ack').map((f) => f.ids);
function socket(overrides: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}) {
  const events: LiveEvent[] = [];
  const statuses: string[] = [];
  const live = new LiveSocket({
    url: 'ws://test/api/ws',
    token: async () => 'tok-1',
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    random: () => 0.5,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    isOnline: () => true,
    ...overrides,
  });
  return { live, events, statuses };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveSocket', () => {
  it('authenticates through the bearer-token-carrier subprotocol', async () => {
    const { live, statuses } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(latest().protocols).toEqual([
      'bearer-token-carrier',
      encodeURIComponent('quarkus-http-upgrade#Authorization#Bearer tok-1'),
    ]);
    latest().open();
    expect(statuses).toEqual(['connected']);
    live.stop();
  });

  it('reconnects with growing jittered delays and resumes from the last seq it saw', async () => {
    const { live, events, statuses } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    latest().push(notification('a', 41));
    latest().push({ type: 'notification_read', notification_id: 'a', seq: 42 });
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS); // acked
    latest().drop();
    expect(statuses.at(-1)).toBe('reconnecting');

    // attempt 1: cap 1000 ms, half fixed + half random(0.5) = 750 ms
    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    latest().drop(); // the gateway is still down
    // attempt 2: cap 2000 ms → 1500 ms
    await vi.advanceTimersByTimeAsync(1499);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);

    latest().open();
    expect(statuses.at(-1)).toBe('connected');
    expect(latest().sent).toContainEqual({ type: 'resume', ref: 'resume', last_seq: 42 });
    // what happened while offline is replayed, then live frames continue
    latest().push(notification('b', 43));
    latest().push({ type: 'resumed', ref: 'resume', last_seq: 43 });
    expect(events.map((e) => e.type)).toEqual(['notification', 'notification_read', 'notification']);
    expect(live.lastSeq).toBe(43);
    live.stop();
  });

  it('resets the backoff after a successful connection', async () => {
    const { live } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 3; i++) {
      latest().drop();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    latest().open();
    latest().drop();
    const before = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(750);
    expect(FakeSocket.all.length).toBe(before + 1);
    live.stop();
  });

  it('delivers a notification once even when a resume replays what a live push already brought', async () => {
    const { live, events } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    latest().push(notification('n1', 10));
    latest().push(notification('n1', 10));
    latest().drop();
    await vi.advanceTimersByTimeAsync(1000);
    latest().open();
    latest().push(notification('n1', 10));
    latest().push(notification('n2', 11));
    expect(events.filter((e) => e.type === 'notification').map((e) => (e as { id: string }).id)).toEqual(['n1', 'n2']);
    live.stop();
  });

  it('follows a drain hint: reconnects after delay_ms, then resumes', async () => {
    const { live } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    latest().push(notification('x', 7));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS); // acked
    latest().push({ type: 'reconnect', delay_ms: 3817 });
    await vi.advanceTimersByTimeAsync(3816);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    latest().open();
    expect(latest().sent).toContainEqual({ type: 'resume', ref: 'resume', last_seq: 7 });
    live.stop();
  });

  it('hands resync to the app and continues from its last_seq', async () => {
    const { live, events } = socket();
    live.noteSeq(5);
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    expect(latest().sent).toContainEqual({ type: 'resume', ref: 'resume', last_seq: 5 });
    latest().push({ type: 'resync', last_seq: 900, reason: 'too_many' });
    expect(events).toEqual([{ type: 'resync', last_seq: 900, reason: 'too_many' }]);
    expect(live.lastSeq).toBe(900);
    live.stop();
  });

  it('asks for a reload when it reconnects with nothing to resume from', async () => {
    const { live, events } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    latest().drop();
    await vi.advanceTimersByTimeAsync(1000);
    latest().open();
    expect(events).toEqual([{ type: 'resync', last_seq: 0, reason: 'no_seq' }]);
    live.stop();
  });

  it('asks the token provider for a fresh token and hands it to the open socket', async () => {
    const reasons: string[] = [];
    const { live } = socket({ token: async (reason) => (reasons.push(reason), reason === 'refresh' ? 'tok-2' : 'tok-1') });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    expect(await live.refreshToken()).toBe(true);
    expect(reasons).toEqual(['connect', 'refresh']);
    expect(latest().sent).toContainEqual({ type: 'refresh_token', ref: 'refresh', token: 'tok-2' });
    live.stop();
  });

  it("refreshes the socket's token by itself a minute before the token's exp", async () => {
    const jwt = (exp: number) => `h.${btoa(JSON.stringify({ sub: 'u1', exp }))}.s`;
    const first = jwt(Math.floor(Date.now() / 1000) + 5 * 60);
    const second = jwt(Math.floor(Date.now() / 1000) + 15 * 60);
    const { live } = socket({ token: async (reason) => (reason === 'connect' ? first : second) });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(latest().sent.filter((f) => f.type === 'refresh_token')).toEqual([]);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(latest().sent.filter((f) => f.type === 'refresh_token')).toEqual([{ type: 'refresh_token', ref: 'refresh', token: second }]);
    live.stop();
  });

  it('reports offline while the browser is offline and reconnects at once when it is back', async () => {
    let online = true;
    const { live, statuses } = socket({ isOnline: () => online });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    online = false;
    window.dispatchEvent(new Event('offline'));
    latest().drop();
    expect(statuses.at(-1)).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    const before = FakeSocket.all.length;
    online = true;
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.all.length).toBe(before + 1);
    latest().open();
    expect(statuses.at(-1)).toBe('connected');
    live.stop();
  });

  it('stops for good when signed out', async () => {
    const { live } = socket();
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    live.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('LiveSocket acks', () => {
  async function connected(overrides: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}) {
    const made = socket(overrides);
    made.live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    return made;
  }

  it('acks the notification frames that arrive together in one frame, soon after they were handled', async () => {
    const { live, events } = await connected();
    latest().push(notification('a', 1));
    latest().push(notification('b', 2));
    latest().push(notification('c', 3));
    expect(events).toHaveLength(3); // handed to the app first
    expect(acks(latest())).toEqual([]);
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    expect(acks(latest())).toEqual([['a', 'b', 'c']]);
    expect(latest().sent.find((f) => f.type === 'ack')).toEqual({ type: 'ack', ids: ['a', 'b', 'c'] });
    // byte for byte: the gateway reads acks in exactly this spelling straight off its pipeline (AckFrame)
    expect(latest().sentText.find((t) => t.includes('"ack"'))).toBe('{"type":"ack","ids":["a","b","c"]}');

    latest().push(notification('d', 4)); // a later one: its own ack
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    expect(acks(latest())).toEqual([['a', 'b', 'c'], ['d']]);
    live.stop();
  });

  it('splits a long replay into acks of at most 100 ids and keeps to the rate limit', async () => {
    const { live } = await connected();
    const ids = Array.from({ length: 1250 }, (_, i) => `id-${i}`);
    ids.forEach((id, i) => latest().push(notification(id, i + 1)));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    const first = acks(latest());
    expect(first).toHaveLength(10); // ten frames in the first second, then the rest
    expect(first.every((batch) => (batch as string[]).length === 100)).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(acks(latest())).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(1);
    const all = acks(latest()) as string[][];
    expect(all).toHaveLength(13);
    expect(all.flat()).toEqual(ids); // every id once, in order
    expect(all.at(-1)).toHaveLength(50);
    live.stop();
  });

  it('acks the frames a resume replays, and has a socket that closed before acking resume before them', async () => {
    const { live, events } = await connected();
    latest().push(notification('n1', 10));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    latest().push(notification('n2', 11)); // shown, but the socket closes before its ack goes out
    latest().push(notification('n3', 12));
    const first = latest();
    first.drop();
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    expect(acks(first)).toEqual([['n1']]); // the pending ones were dropped with it

    await vi.advanceTimersByTimeAsync(1000);
    latest().open();
    // from before n2: the gateway pushes n2 and n3 to this socket again, and this socket acks them
    expect(latest().sent).toContainEqual({ type: 'resume', ref: 'resume', last_seq: 10 });
    latest().push(notification('n2', 11));
    latest().push(notification('n3', 12));
    latest().push(notification('n4', 13));
    latest().push({ type: 'resumed', ref: 'resume', last_seq: 13 });
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    expect(acks(latest())).toEqual([['n2', 'n3', 'n4']]);
    expect(events.filter((e) => e.type === 'notification').map((e) => (e as { id: string }).id)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(live.lastSeq).toBe(13);
    live.stop();
  });

  it('acks an id once per socket', async () => {
    const { live } = await connected();
    latest().push(notification('n1', 10));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    latest().push(notification('n1', 10));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    expect(acks(latest())).toEqual([['n1']]);
    live.stop();
  });

  it('acks no other frame', async () => {
    const { live } = await connected();
    latest().push({ type: 'notification_read', notification_id: 'a', seq: 2 });
    latest().push({ type: 'all_read', read_up_to: 3, seq: 3 });
    latest().push({ type: 'notification_deleted', notification_id: 'a', seq: 4 });
    latest().push({ type: 'resync', last_seq: 5, reason: 'too_many' });
    latest().push({ type: 'pong' });
    latest().push({ type: 'notifications', items: [notification('x', 1).payload] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(acks(latest())).toEqual([]);
    live.stop();
  });

  it("takes an ack's error quietly", async () => {
    const { live, events, statuses } = await connected();
    latest().push(notification('a', 1));
    await vi.advanceTimersByTimeAsync(ACK_BATCH_MS);
    latest().push({ type: 'error', code: 'not_found', message: 'not pushed to this socket: a' });
    expect(events.map((e) => e.type)).toEqual(['notification']);
    expect(statuses.at(-1)).toBe('connected');
    expect(latest().readyState).toBe(1);
    live.stop();
  });
});

describe('LiveSocket clicks', () => {
  it('sends clicked over the open socket, and says when it cannot', async () => {
    const unsent: string[] = [];
    const { live } = socket({ onClickUnsent: (id) => unsent.push(id) });
    expect(live.clicked('n1')).toBe(false); // not connected: the caller uses REST
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    expect(live.clicked('n1')).toBe(true);
    expect(latest().sent).toContainEqual({ type: 'clicked', ref: 'clicked-1', id: 'n1' });
    latest().push({ type: 'notification_clicked', ref: 'clicked-1', notification_id: 'n1' });

    live.clicked('n2');
    latest().push({ type: 'error', ref: 'clicked-2', code: 'unavailable', message: 'store down' });
    expect(unsent).toEqual(['n2']); // worth another way
    live.clicked('n3');
    latest().push({ type: 'error', ref: 'clicked-3', code: 'not_found', message: 'not yours' });
    live.clicked('n4');
    latest().drop(); // closed before the reply
    expect(unsent).toEqual(['n2', 'n4']);
    live.stop();
  });
});
