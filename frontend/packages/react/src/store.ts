import {
  ApiError,
  applyLiveEvent,
  completeAction,
  createRestClient,
  markRead,
  removeOne,
  upTo,
  withId,
  LiveSocket,
  socketUrl,
  type ConnectionStatus,
  type InboxChange,
  type LiveEvent,
  type Notification,
  type Preferences,
  type QuietHours,
  type RestClient,
  type TokenProvider,
} from '@notify/client';

/** What the components show: the newest page of the inbox, the unread count, the socket's state, the preferences. */
export interface NotifyState {
  items: Notification[];
  /** the first page arrived */
  loaded: boolean;
  unread: number;
  /** the unread ones the user has not seen yet (above their seen watermark): what a bell's badge shows */
  unseen: number;
  status: ConnectionStatus;
  /** null until something asked for them (usePreferences) */
  preferences: Preferences | null;
  /** the topics the user follows in their company (by key); null until something asked for them (useTopicSubscription) */
  topics: string[] | null;
  /** the last failed call, for the user; cleared by the next good load */
  error: string | null;
}

export interface NotifyStoreOptions {
  /** the origin serving /api (the one-origin proxy, an Ingress, your reverse proxy); default: this page's origin */
  baseUrl?: string;
  token: TokenProvider;
  /** the gateway's WebSocket URL, when it is not at baseUrl's /api/ws */
  socketUrl?: string;
  /** how many notifications the inbox holds (the newest); default 20 */
  pageSize?: number;
  /** a BroadcastChannel name to share live events with this browser's other tabs, or false (default) */
  tabs?: string | false;
  /** for tests and non-browser hosts */
  WebSocketImpl?: typeof WebSocket;
  /**
   * a new notification arrived live that the host may announce (a toast, a sound); not called for one pushed
   * `silent` (the user's quiet hours: it is in the inbox and counted all the same) nor for one already read
   */
  onNotification?: (notification: Notification) => void;
}

const counts = (count: { total?: number; unseen?: number }) => ({ unread: count.total ?? 0, unseen: count.unseen ?? 0 });
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const bySeq = (a: Notification, b: Notification) => (b.seq ?? 0) - (a.seq ?? 0);

/**
 * The state of one signed-in user, kept current by the live socket through @notify/client's applyLiveEvent
 * (the one the dashboard applies to its caches too): new notifications are prepended, reads, deletes and
 * preference changes are applied in place, and a `resync` (or a change of identity) reloads over REST. React
 * reads it through useSyncExternalStore; nothing here depends on React.
 */
export class NotifyStore {
  readonly api: RestClient;
  private readonly socket: LiveSocket;
  private readonly pageSize: number;
  private readonly onNotification: ((notification: Notification) => void) | undefined;
  private readonly listeners = new Set<() => void>();
  private state: NotifyState = { items: [], loaded: false, unread: 0, unseen: 0, status: 'connecting', preferences: null, topics: null, error: null };
  private topicsLoading: Promise<void> | null = null;
  /** notifications that arrived live while a reload was in flight (its page may predate them) */
  private arrivedDuringReload: Notification[] | null = null;

  constructor(options: NotifyStoreOptions) {
    const baseUrl = options.baseUrl?.replace(/\/$/, '') ?? '';
    this.pageSize = options.pageSize ?? 20;
    this.onNotification = options.onNotification;
    this.api = createRestClient({ baseUrl, token: options.token });
    this.socket = new LiveSocket({
      url: options.socketUrl ?? (baseUrl ? `${baseUrl.replace(/^http/, 'ws')}/api/ws` : socketUrl()),
      token: options.token,
      tabs: options.tabs ?? false,
      onEvent: (event) => this.apply(event),
      onStatus: (status) => this.set({ status }),
      onClickUnsent: (id) => void this.api.clicked(id).catch(() => undefined),
      ...(options.WebSocketImpl ? { WebSocketImpl: options.WebSocketImpl } : {}),
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): NotifyState => this.state;

  start(): void {
    this.socket.start();
    void this.reload();
  }

  stop(): void {
    this.socket.stop();
  }

  /** the newest page and the unread count over REST (on start, after a resync, on demand) */
  async reload(): Promise<void> {
    this.arrivedDuringReload = [];
    try {
      const [page, count] = await Promise.all([this.api.list({ limit: this.pageSize }), this.api.unreadCount()]);
      const items = page.items ?? [];
      const known = new Set(items.map((n) => n.id));
      const live = (this.arrivedDuringReload ?? []).filter((n) => !known.has(n.id));
      this.set({ items: [...live, ...items].sort(bySeq), ...counts(count), loaded: true, error: null });
      this.socket.noteSeq(items[0]?.seq);
      if (live.length > 0) {
        void this.refreshUnread(); // the count may predate them too
      }
    } catch (error) {
      this.set({ loaded: true, error: message(error) });
    } finally {
      this.arrivedDuringReload = null;
    }
  }

  apply(event: LiveEvent): void {
    if (event.type === 'notification') {
      this.arrivedDuringReload?.push(event.payload);
      if (!event.silent && !event.payload.read) {
        this.onNotification?.(event.payload);
      }
    } else if (event.type === 'preferences_updated') {
      this.set({ preferences: event.preferences }); // and reload: switched-off types leave the count
    } else if (event.type === 'subscription_changed' && this.state.topics) {
      // followed or unfollowed in another tab or device (or by an admin); unfollowed, the inbox reloads (below)
      void this.changedTopic(event.topic, event.subscribed);
    }
    const change = applyLiveEvent([this.state.items], event, { limit: this.pageSize });
    // a read or a removal takes one off unseen too when it was above the watermark: only the server knows (follow `count`)
    this.take(change);
    switch (change.follow) {
      case 'count':
        void this.refreshUnread(); // reads and deletes of notifications beyond the page count too
        return;
      case 'reload':
        void this.reload();
        return;
      case 'token':
        void this.socket.refreshToken().finally(() => {
          void this.reload();
          if (this.state.topics) {
            void this.loadTopics().catch(() => undefined); // another company: other topics
          }
        });
        return;
    }
  }

  async markRead(id: string): Promise<void> {
    this.take(markRead([this.state.items], withId(id)));
    await this.act(() => this.api.markRead(id));
  }

  /** marks read what the user has seen: everything up to the newest shown (a newer one arriving meanwhile stays unread) */
  async markAllRead(): Promise<void> {
    const newest = this.state.items[0]?.seq;
    this.take(markRead([this.state.items], upTo(newest)));
    await this.act(() => this.api.readAll(newest));
  }

  async remove(id: string): Promise<void> {
    this.take(removeOne([this.state.items], id));
    await this.act(() => this.api.remove(id));
  }

  /** out of the inbox (and its counts) into the archived ones, like a delete the user can take back */
  async archive(id: string): Promise<void> {
    this.take(removeOne([this.state.items], id));
    await this.act(() => this.api.archive(id));
  }

  /** out of the inbox (and its counts) until `until`, when it comes back unread (a resurfaced push) */
  async snooze(id: string, until: Date): Promise<void> {
    this.take(removeOne([this.state.items], id));
    await this.act(() => this.api.snooze(id, until));
  }

  /**
   * The user looked at the inbox (opened the bell): what it shows is seen, up to the newest of it (one
   * arriving meanwhile stays unseen). Seen is not read: the unread ones stay unread. Nothing to do, and
   * no call, when nothing is unseen.
   */
  async markSeen(): Promise<void> {
    if (this.state.unseen === 0) {
      return;
    }
    const newest = this.state.items[0]?.seq;
    this.set({ unseen: 0 });
    await this.act(() => this.api.markSeen(newest));
  }

  /** the user followed a notification's link: over the socket when it is open, else over REST */
  clicked(id: string): void {
    if (!this.socket.clicked(id)) {
      void this.api.clicked(id).catch(() => undefined);
    }
  }

  /**
   * The user pressed one of the notification's action buttons: recorded on it once the server answers (every other tab
   * hears it as `action_completed`). Rejects when it failed, after putting the item as the server holds it: a 409 (another
   * action completed before, in another tab or device) reloads the page, which shows that one.
   */
  async completeAction(id: string, actionId: string): Promise<void> {
    try {
      this.take(completeAction([this.state.items], id, await this.api.completeAction(id, actionId)));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        await this.reload();
      }
      throw error;
    }
  }

  async loadPreferences(): Promise<void> {
    try {
      this.set({ preferences: await this.api.preferences() });
    } catch (error) {
      this.set({ error: message(error) });
    }
  }

  async savePreferences(preferences: Preferences): Promise<void> {
    this.set({ preferences: await this.api.savePreferences(preferences) });
    void this.reload();
  }

  /** quiet hours on (or changed): the other types' settings stay as they are; rejects (an ApiError) when refused */
  async saveQuietHours(quietHours: QuietHours): Promise<void> {
    this.set({ preferences: await this.api.savePreferences({ types: {}, quiet_hours: quietHours }) });
  }

  /** quiet hours off: pushes are never silent */
  async clearQuietHours(): Promise<void> {
    this.set({ preferences: await this.api.clearQuietHours() });
  }

  /** the topics the user follows (once at a time however many ask); rejects (an ApiError) when they could not be loaded */
  loadTopics(): Promise<void> {
    this.topicsLoading ??= this.api
      .topics()
      .then((page) => this.set({ topics: (page.items ?? []).map((t) => t.topic) }))
      .finally(() => (this.topicsLoading = null));
    return this.topicsLoading;
  }

  /** follows `key`: its notifications sent from now on reach the user (none from before) */
  async followTopic(key: string): Promise<void> {
    await this.api.subscribe(key);
    await this.changedTopic(key, true);
  }

  /** stops following `key`: its notifications leave the inbox (reloaded) */
  async unfollowTopic(key: string): Promise<void> {
    await this.api.unsubscribe(key);
    await this.changedTopic(key, false);
    void this.reload();
  }

  private async changedTopic(key: string, followed: boolean): Promise<void> {
    const topics = this.state.topics;
    if (!topics) {
      return this.loadTopics(); // never loaded (it failed): all of them now
    }
    this.set({ topics: followed ? [...new Set([...topics, key])].sort() : topics.filter((t) => t !== key) });
  }

  private async act(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
      await this.refreshUnread();
    } catch (error) {
      this.set({ error: message(error) });
      await this.reload(); // back to what the server holds
    }
  }

  /** the page and the local count as a change leaves them (the server's count comes with the follow-up) */
  private take(change: InboxChange): void {
    const items = change.pages[0] ?? [];
    if (items !== this.state.items || change.unread !== 0 || change.unseen !== 0) {
      this.set({
        items,
        unread: Math.max(0, this.state.unread + change.unread),
        unseen: Math.max(0, this.state.unseen + change.unseen),
      });
    }
  }

  private async refreshUnread(): Promise<void> {
    try {
      this.set(counts(await this.api.unreadCount()));
    } catch {
      // keep the local count; the next event or reload corrects it
    }
  }

  private set(patch: Partial<NotifyState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
