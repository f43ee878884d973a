import type {
  ActionCompletedFrame,
  AllReadFrame,
  AllSeenFrame,
  ClientFrame,
  IdentityChangedFrame,
  NotificationArchivedFrame,
  NotificationDeletedFrame,
  NotificationFrame,
  NotificationReadFrame,
  NotificationSnoozedFrame,
  NotificationUnarchivedFrame,
  NotificationUnsnoozedFrame,
  PreferencesUpdatedFrame,
  ResyncFrame,
  ServerFrame,
  SubscriptionChangedFrame,
} from './protocol.gen';
import type { Notification } from './rest';
import { claims, type TokenProvider } from './token';

/**
 * The one WebSocket client of an app (docs/websocket-protocol.md). It follows the protocol's rules for
 * "never miss anything": remember the highest seq seen, reconnect with jittered exponential backoff
 * (or after a drain hint's delay), `resume` from that seq, drop duplicate notifications by id, ack
 * what it received, hand the gateway a fresh token before the current one expires, and hand `resync`
 * to the app so it reloads the inbox over REST. With `tabs`, the tabs of one browser share what their
 * sockets receive (crossTab below).
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/**
 * The frames that change what the app shows, as the contract types them (protocol.gen.ts, generated
 * from contracts/asyncapi.yaml). A notification's payload reaches the app as the inbox's
 * `Notification`, with the frame's seq.
 */
export type LiveEvent =
  | (Omit<NotificationFrame, 'payload'> & { payload: Notification })
  | NotificationReadFrame
  | AllReadFrame
  | NotificationDeletedFrame
  | AllSeenFrame
  | NotificationArchivedFrame
  | NotificationUnarchivedFrame
  | NotificationSnoozedFrame
  | NotificationUnsnoozedFrame
  | PreferencesUpdatedFrame
  | ActionCompletedFrame
  | SubscriptionChangedFrame
  | ResyncFrame
  | IdentityChangedFrame;

export interface LiveSocketOptions {
  url: string;
  /** the access token for each upgrade ('connect') and before the socket's one expires ('refresh') */
  token: TokenProvider;
  onEvent: (event: LiveEvent) => void;
  onStatus?: (status: ConnectionStatus) => void;
  /** a `clicked` the socket took but could not see through (closed, or refused as unavailable/rate limited): send it another way */
  onClickUnsent?: (id: string) => void;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  isOnline?: () => boolean;
  /**
   * The BroadcastChannel name the tabs of this origin share live events on (see shareable), or
   * false (the default) for none.
   */
  tabs?: string | false;
  /** how long before the token's `exp` the socket asks the provider for a fresh one */
  refreshLeadMs?: number;
}

/**
 * The events one tab passes on to the others (with the user they belong to). Each is idempotent, so
 * a tab that also gets it from its own socket applies it once (notifications by id) or harmlessly
 * twice; a tab that takes a notification from another tab also takes its seq, so its next resume
 * starts after it. resync and identity_changed stay with the tab whose socket got them.
 */
const SHAREABLE = new Set<LiveEvent['type']>([
  'notification',
  'notification_read',
  'all_read',
  'notification_deleted',
  'all_seen',
  'notification_archived',
  'notification_unarchived',
  'notification_snoozed',
  'notification_unsnoozed',
  'preferences_updated',
  'action_completed',
  'subscription_changed',
]);
interface TabMessage {
  sub: string | undefined;
  event: LiveEvent;
}

const DEDUPE_WINDOW = 2000;

/**
 * What duplicate `notification` frames share: the id; a snoozed one back (`resurfaced`) is a new push of
 * the same id, each wake-up once (a resume replays it with the same seq).
 */
const dedupeKey = (frame: { id: string; seq?: number; resurfaced?: boolean }): string =>
  frame.resurfaced ? `${frame.id}@${frame.seq}` : frame.id;
/** how long ids of `notification` frames that arrive together are collected into one `ack` */
export const ACK_BATCH_MS = 50;
/** the contract's limit of ids in one `ack` */
export const ACK_MAX_IDS = 100;
/**
 * `ack` frames per second at most: half the gateway's limit of 20 frames per second per socket, so
 * that acking a long replay never gets the socket's other frames refused as `rate_limited`.
 */
export const ACK_FRAMES_PER_SECOND = 10;
/** the errors after which a `clicked` may succeed another way */
const CLICK_RETRYABLE = new Set(['unavailable', 'rate_limited', 'internal_error']);

export class LiveSocket {
  private readonly options: Required<Omit<LiveSocketOptions, 'onStatus' | 'onClickUnsent'>> &
    Pick<LiveSocketOptions, 'onStatus' | 'onClickUnsent'>;
  private channel: BroadcastChannel | null = null;
  /** the user of the current token (cross-tab messages of another user are ignored) */
  private sub: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private connectedOnce = false;
  private lastSeqSeen = 0;
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private currentStatus: ConnectionStatus = 'connecting';
  // acks belong to the socket that received the frames: all of this is reset with every socket
  private pendingAcks: { id: string; seq?: number }[] = [];
  private readonly ackedHere = new Set<string>();
  private ackSentAt: number[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  // `clicked` frames awaiting their reply, by ref
  private readonly clicks = new Map<string, string>();
  private clickRef = 0;
  private readonly online = () => this.reconnectNow();
  private readonly offline = () => this.setStatus('offline');

  constructor(options: LiveSocketOptions) {
    this.options = {
      WebSocketImpl: globalThis.WebSocket,
      random: Math.random,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
      tabs: false,
      refreshLeadMs: 60_000,
      ...options,
    };
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get lastSeq(): number {
    return this.lastSeqSeen;
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.online);
      window.addEventListener('offline', this.offline);
    }
    if (this.options.tabs && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(this.options.tabs);
      this.channel.onmessage = (message: MessageEvent<TabMessage>) => this.fromTab(message.data);
    }
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.online);
      window.removeEventListener('offline', this.offline);
    }
    this.channel?.close();
    this.channel = null;
    this.clearRefresh();
    const ws = this.ws;
    this.ws = null;
    this.socketGone();
    ws?.close(1000, 'signed out');
  }

  /**
   * Records that the user opened the notification's link, over the socket. false when the socket is
   * not open: the caller sends it another way (REST). A click the socket took but whose reply is an
   * error worth retrying, or that is still unanswered when the socket closes, goes to `onClickUnsent`.
   */
  clicked(id: string): boolean {
    if (!this.ws || this.ws.readyState !== 1) {
      return false;
    }
    const ref = `clicked-${++this.clickRef}`;
    this.clicks.set(ref, id);
    this.send({ type: 'clicked', ref, id });
    return true;
  }

  /** Records a seq the app saw elsewhere (the inbox over REST), so a resume starts after it. */
  noteSeq(seq: number | undefined): void {
    if (typeof seq === 'number' && seq > this.lastSeqSeen) {
      this.lastSeqSeen = seq;
    }
  }

  /**
   * Asks the token provider for a fresh token and hands it to the open socket (`refresh_token`),
   * before the current one expires (else the gateway closes with 1008). The socket does this by
   * itself `refreshLeadMs` before the token's `exp`; call it when the app knows the token changed
   * (a new role or company). false when there is no open socket or no token.
   */
  async refreshToken(): Promise<boolean> {
    this.clearRefresh();
    let token: string | null = null;
    try {
      token = await this.options.token('refresh');
    } catch {
      // no token now: the gateway closes the socket at expiry and the reconnect asks again
    }
    if (!token || !this.ws || this.ws.readyState !== 1) {
      return false;
    }
    this.send({ type: 'refresh_token', ref: 'refresh', token });
    this.tokenInUse(token);
    return true;
  }

  /**
   * Tells the other tabs (option `tabs`) about a change this tab made itself (e.g. marked a
   * notification read over REST), so they show it before their own socket brings it.
   */
  share(event: LiveEvent): void {
    if (SHAREABLE.has(event.type)) {
      this.channel?.postMessage({ sub: this.sub, event } satisfies TabMessage);
    }
  }

  private fromTab(message: TabMessage): void {
    if (!message?.event || message.sub !== this.sub || this.sub === undefined) {
      return;
    }
    const event = message.event;
    if ('seq' in event) {
      this.noteSeq(event.seq);
    }
    if (event.type !== 'notification' || !this.remember(dedupeKey(event))) {
      this.options.onEvent(event);
    }
  }

  /** Remembers the token's user and plans its refresh before its `exp` (when it is a JWT with one). */
  private tokenInUse(token: string): void {
    const c = claims(token);
    this.sub = c?.sub;
    this.clearRefresh();
    if (typeof c?.exp === 'number') {
      const delay = Math.max(0, c.exp * 1000 - Date.now() - this.options.refreshLeadMs);
      this.refreshTimer = setTimeout(() => void this.refreshToken(), delay);
    }
  }

  private clearRefresh(): void {
    if (this.refreshTimer !== null) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    }
  }

  /** The event to the app, and to the other tabs when it is shareable. */
  private deliver(event: LiveEvent): void {
    this.options.onEvent(event);
    this.share(event);
  }

  private send(frame: ClientFrame): void {
    if (this.ws && this.ws.readyState === 1) {
      this.ws.send(JSON.stringify(frame));
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (status !== this.currentStatus) {
      this.currentStatus = status;
      this.options.onStatus?.(status);
    }
  }

  private async connect(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.ws) {
      return;
    }
    if (!this.options.isOnline()) {
      this.setStatus('offline'); // the browser's `online` event brings us back
      return;
    }
    let token: string | null;
    try {
      token = await this.options.token('connect');
    } catch {
      token = null;
    }
    if (this.stopped || this.ws) {
      return;
    }
    if (!token) {
      this.scheduleReconnect();
      return;
    }
    const ws = new this.options.WebSocketImpl(this.options.url, [
      'bearer-token-carrier',
      encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${token}`),
    ]);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.tokenInUse(token);
      this.socketGone(); // nothing acked or clicked on this socket yet
      this.setStatus('connected');
      if (this.lastSeqSeen > 0) {
        this.send({ type: 'resume', ref: 'resume', last_seq: this.lastSeqSeen });
      } else if (this.connectedOnce) {
        // nothing to resume from: reloading is the only way not to miss what came meanwhile
        this.options.onEvent({ type: 'resync', last_seq: 0, reason: 'no_seq' });
      }
      this.connectedOnce = true;
    };
    ws.onmessage = (message: MessageEvent) => this.receive(message.data);
    ws.onerror = () => undefined; // a close follows (and Node's `ws` throws an error nobody listens to)
    ws.onclose = () => {
      if (this.ws !== ws) {
        return;
      }
      this.ws = null;
      this.socketGone();
      this.clearRefresh();
      if (!this.stopped) {
        this.scheduleReconnect();
      }
    };
  }

  private receive(data: unknown): void {
    // typed by the contract (the gateway's contract test holds it to it), checked where a bad frame would hurt
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) {
      return;
    }
    if ('seq' in frame && typeof frame.seq === 'number') {
      this.noteSeq(frame.seq);
    }
    switch (frame.type) {
      case 'notification': {
        const payload = frame.payload as NotificationFrame['payload'] | undefined;
        const id = payload?.id ?? frame.id;
        if (!payload || !id) {
          return;
        }
        const key = dedupeKey({ id, seq: frame.seq, resurfaced: frame.resurfaced });
        if (!this.remember(key)) {
          this.deliver({
            type: 'notification',
            id,
            seq: frame.seq,
            ...(frame.resurfaced ? { resurfaced: true as const } : {}),
            payload: { ...payload, seq: frame.seq } as Notification,
            // quiet hours: stored and counted as usual, only not announced (no toast, no sound)
            ...(frame.silent === true ? { silent: true as const } : {}),
          });
        }
        // a duplicate is acked too: the gateway counts what it pushed to THIS socket (a resume replays
        // what a socket that closed before its ack went out had received)
        this.queueAck(id, frame.seq, key);
        return;
      }
      case 'resync':
        this.lastSeqSeen = typeof frame.last_seq === 'number' ? frame.last_seq : this.lastSeqSeen;
        this.options.onEvent(frame);
        return;
      case 'reconnect': {
        // the gateway drains: go elsewhere after its delay (then resume)
        const delay = typeof frame.delay_ms === 'number' ? frame.delay_ms : undefined;
        const ws = this.ws;
        this.ws = null;
        this.socketGone();
        this.clearRefresh();
        ws?.close(1000, 'draining');
        this.scheduleReconnect(delay);
        return;
      }
      case 'notification_read':
      case 'all_read':
      case 'notification_deleted':
      case 'all_seen':
      case 'notification_archived':
      case 'notification_unarchived':
      case 'notification_snoozed':
      case 'notification_unsnoozed':
      case 'preferences_updated':
      case 'action_completed':
      case 'subscription_changed': // pushed: this user followed or unfollowed a topic (in any tab or device, or an admin did)
      case 'identity_changed':
        this.deliver(frame);
        return;
      case 'notification_clicked':
        if (typeof frame.ref === 'string') {
          this.clicks.delete(frame.ref);
        }
        return;
      case 'error': {
        // quiet: an ack's error (ids the gateway did not count) is nothing the user can act on, nor a click's
        const id = typeof frame.ref === 'string' ? this.clicks.get(frame.ref) : undefined;
        if (id !== undefined) {
          this.clicks.delete(frame.ref as string);
          if (CLICK_RETRYABLE.has(frame.code)) {
            this.options.onClickUnsent?.(id);
          }
        }
        return;
      }
      default:
        return; // pong, resumed, token_refreshed, errors of frames we never sent, replies to get_*/send_*
    }
  }

  /** `key`: as duplicates share it (a resurfaced push is acked again). */
  private queueAck(id: string, seq: number | undefined, key: string): void {
    if (this.ackedHere.has(key)) {
      return;
    }
    this.ackedHere.add(key);
    if (this.ackedHere.size > DEDUPE_WINDOW) {
      this.ackedHere.delete(this.ackedHere.values().next().value as string);
    }
    this.pendingAcks.push({ id, seq: typeof seq === 'number' ? seq : undefined });
    this.scheduleAckFlush(ACK_BATCH_MS);
  }

  private scheduleAckFlush(delay: number): void {
    if (this.ackTimer === null) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = null;
        this.flushAcks();
      }, delay);
    }
  }

  /** At most ACK_MAX_IDS ids a frame and ACK_FRAMES_PER_SECOND frames in any second; the rest waits. */
  private flushAcks(): void {
    const now = Date.now();
    this.ackSentAt = this.ackSentAt.filter((t) => now - t < 1000);
    while (this.pendingAcks.length > 0 && this.ackSentAt.length < ACK_FRAMES_PER_SECOND) {
      this.send({ type: 'ack', ids: this.pendingAcks.splice(0, ACK_MAX_IDS).map((a) => a.id) });
      this.ackSentAt.push(now);
    }
    if (this.pendingAcks.length > 0) {
      this.scheduleAckFlush((this.ackSentAt[0] as number) + 1000 - now);
    }
  }

  /**
   * The current socket is gone (or a new one opened): its unsent acks are dropped (the gateway counts
   * acks of the socket it pushed to only), and the next resume starts before the first of them, so the
   * next socket gets those frames again (the app shows them once) and acks them there. Its unanswered
   * clicks go another way.
   */
  private socketGone(): void {
    if (this.ackTimer !== null) {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
    }
    const unacked = this.pendingAcks.map((a) => a.seq).filter((seq): seq is number => seq !== undefined);
    if (unacked.length > 0) {
      this.lastSeqSeen = Math.min(this.lastSeqSeen, Math.min(...unacked) - 1);
    }
    this.pendingAcks = [];
    this.ackedHere.clear();
    this.ackSentAt = [];
    const unanswered = [...this.clicks.values()];
    this.clicks.clear();
    for (const id of unanswered) {
      this.options.onClickUnsent?.(id);
    }
  }

  /** true when the id was seen already */
  private remember(id: string): boolean {
    if (this.seen.has(id)) {
      return true;
    }
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > DEDUPE_WINDOW) {
      this.seen.delete(this.seenOrder.shift() as string);
    }
    return false;
  }

  /** Exponential backoff, half of it random, so a gateway restart is not met by every client at once. */
  nextDelay(): number {
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 20);
    return Math.round(cap / 2 + (this.options.random() * cap) / 2);
  }

  private scheduleReconnect(delay?: number): void {
    if (this.stopped) {
      return;
    }
    this.setStatus(this.options.isOnline() ? 'reconnecting' : 'offline');
    this.clearTimer();
    this.timer = setTimeout(() => void this.connect(), delay ?? this.nextDelay());
  }

  private reconnectNow(): void {
    if (this.stopped || this.ws) {
      return;
    }
    this.clearTimer();
    this.attempt = 0;
    this.setStatus('reconnecting');
    void this.connect();
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** ws(s)://<this origin>/api/ws: the same origin as the page. */
export function socketUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}
