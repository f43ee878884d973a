import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components as AuthComponents, paths as AuthPaths } from './generated/auth';
import type { components, paths as NotificationPaths } from './generated/notification';
import type { TokenProvider } from './token';

type Schemas = components['schemas'];
export type Notification = Schemas['NotificationView'];
export type InboxPage = Schemas['InboxPage'];
export type InboxQuery = NonNullable<NotificationPaths['/api/notifications']['get']['parameters']['query']>;
export type Preferences = Schemas['Preferences'];
export type NotificationRequest = Schemas['NotificationRequest'];
/** A send's audience: everyone subscribed to `topic` in `company`, stored once (no recipient rows). */
export type TopicAudience = Schemas['TopicAudience'];
/** One user's subscription to a topic of their company: they see its notifications whose seq is above `since_seq`. */
export type TopicSubscription = Schemas['TopicSubscription'];
/** `GET /api/topics`: the caller's subscriptions in their company, by topic. */
export type TopicSubscriptions = Schemas['TopicSubscriptions'];
/** One subscriber of a topic, as its subscribers' page lists them. */
export type TopicSubscriber = Schemas['TopicSubscriber'];
/** `GET /api/topics/{key}/subscribers`: keyset-paged by user_id; `next_after` is the next page's `after`, null on the last. */
export type TopicSubscriberPage = Schemas['TopicSubscribersPage'];
/** `after` (the previous page's `next_after`), `limit` (1 to 500, default 100), `company` (a service account's choice). */
export type TopicSubscribersQuery = NonNullable<NotificationPaths['/api/topics/{key}/subscribers']['get']['parameters']['query']>;
/** A service account with several companies in its scope names whose topic it means; admins manage their own company's. */
export type TopicCompanyQuery = NonNullable<NotificationPaths['/api/topics/{key}/subscribers/{userId}']['put']['parameters']['query']>;
/** A send with `send_at`, kept until then: what such a send answers (202) and what `scheduled()` lists. */
export type ScheduledSend = Schemas['ScheduledSend'];
/** What `send` answers: the notification (201 created, 200 for a repeated idempotency key) or, with `send_at`, the scheduled send (202). */
export type SendResult = Notification | ScheduledSend;
export type DeliveryStats = Schemas['DeliveryView'];
/** The action a reader completed on a notification, and when: what `completeAction` answers, an inbox item's `completed_action`. */
export type ActionCompletion = Schemas['ActionCompletion'];
export type UsersQuery = NonNullable<AuthPaths['/api/auth/users']['get']['parameters']['query']>;
export type UserCountQuery = NonNullable<AuthPaths['/api/auth/users/count']['get']['parameters']['query']>;
export type LoginRequest = AuthComponents['schemas']['LoginRequest'];

export interface RestOptions {
  /** the origin serving /api (the one-origin proxy or Ingress); default: relative URLs, the page's origin */
  baseUrl?: string;
  /** asked for each request ('connect'), and once more ('refresh') when a request answers 401 */
  token: TokenProvider;
  fetch?: (request: Request) => Promise<Response>;
}

/** A failed call: the status, the service's RFC 9457 problem document, and its Retry-After (a 429, a 503). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
    readonly retryAfter: string | null = null,
  ) {
    super(`HTTP ${status}${typeof problem === 'object' && problem && 'title' in problem ? `: ${String(problem.title)}` : ''}`);
  }
}

/** True for a send kept until its `send_at` (answered 202), false for a notification stored at once (201, or 200 for a repeat). */
export function isScheduled(sent: SendResult): sent is ScheduledSend {
  return (sent as Partial<ScheduledSend>).status === 'scheduled';
}

async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw new ApiError(response.status, error, response.headers.get('retry-after'));
  }
  return data as T;
}

/**
 * Typed REST calls of auth-service and notification-service, generated from their OpenAPI documents
 * (openapi-fetch over openapi-typescript): `auth` and `notifications` are the raw clients for any
 * path, the methods below the inbox's everyday calls, a sender's and the directory's. Every request
 * carries the provider's token; a 401 (a token revoked or expired meanwhile) is retried once with a
 * token asked for as 'refresh'. `session` is the browser session's cookie calls (no token: the
 * HttpOnly cookie and the CSRF header a cross-origin page cannot send), for a provider built on them.
 */
export function createRestClient(options: RestOptions) {
  const bearer: Middleware = {
    async onRequest({ request }) {
      const token = await options.token('connect');
      if (token) {
        request.headers.set('authorization', `Bearer ${token}`);
      }
      return request;
    },
  };
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const fetchRetrying401 = async (request: Request): Promise<Response> => {
    const again = request.clone();
    const response = await send(request);
    if (response.status !== 401) {
      return response;
    }
    const token = await options.token('refresh').catch(() => null);
    if (!token) {
      return response;
    }
    again.headers.set('authorization', `Bearer ${token}`);
    return send(again);
  };
  const config = { baseUrl: options.baseUrl ?? '', fetch: fetchRetrying401 };
  const auth: Client<AuthPaths> = createClient<AuthPaths>(config);
  const notifications: Client<NotificationPaths> = createClient<NotificationPaths>(config);
  auth.use(bearer);
  notifications.use(bearer);
  const cookie = createClient<AuthPaths>({ baseUrl: config.baseUrl, fetch: send, credentials: 'include' });
  const csrf = { params: { header: { 'X-Notify-Csrf': '1' } } };
  const byId = (id: string) => ({ params: { path: { id } } });
  const byKey = (key: string) => ({ params: { path: { key } } });
  const bySubscriber = (key: string, userId: string, query: TopicCompanyQuery) => ({ params: { path: { key, userId }, query } });
  const remove = (id: string) => ok(notifications.DELETE('/api/notifications/{id}', byId(id)));
  return {
    auth,
    notifications,
    list: (query: InboxQuery = {}) => ok(notifications.GET('/api/notifications', { params: { query } })),
    unreadCount: () => ok(notifications.GET('/api/notifications/unread-count')),
    markRead: (id: string) => ok(notifications.POST('/api/notifications/{id}/read', byId(id))),
    readAll: (upTo?: number) => ok(notifications.POST('/api/notifications/read-all', { params: { query: { up_to: upTo } } })),
    remove,
    /** the bell was looked at: everything up to `upTo` (default: everything) is seen, not read; answers the new watermark */
    markSeen: (upTo?: number) => ok(notifications.POST('/api/notifications/seen', { body: upTo === undefined ? {} : { up_to: upTo } })),
    /** out of the inbox and its counts (and read); `list({ archived: true })` lists it */
    archive: (id: string) => ok(notifications.POST('/api/notifications/{id}/archive', byId(id))),
    unarchive: (id: string) => ok(notifications.POST('/api/notifications/{id}/unarchive', byId(id))),
    /** out of the inbox and its counts until `until` (at most 30 days ahead), then back unread and pushed again (`resurfaced`) */
    snooze: (id: string, until: Date) =>
      ok(notifications.POST('/api/notifications/{id}/snooze', { ...byId(id), body: { until: until.toISOString() } })),
    unsnooze: (id: string) => ok(notifications.POST('/api/notifications/{id}/unsnooze', byId(id))),
    clicked: (id: string) => ok(notifications.POST('/api/notifications/{id}/clicked', byId(id))),
    /**
     * the caller pressed one of the notification's action buttons (`actions[].id`): the completion, the same again for a
     * repeat; rejects with an ApiError 409 whose problem's `action_id` names the action completed before, 404 for none such
     */
    completeAction: (id: string, actionId: string): Promise<ActionCompletion> =>
      ok(notifications.POST('/api/notifications/{id}/actions/{actionId}', { params: { path: { id, actionId } } })),
    preferences: () => ok(notifications.GET('/api/notifications/preferences')),
    savePreferences: (body: Preferences) => ok(notifications.PUT('/api/notifications/preferences', { body })),
    /** no quiet hours any more (pushes are never silent); answers the preferences after the change */
    clearQuietHours: () => ok(notifications.DELETE('/api/notifications/preferences/quiet-hours')),
    /** the notification (201, 200 for a repeated idempotency key), or with `send_at` the scheduled send (202): tell them apart with `isScheduled` */
    send: (body: NotificationRequest): Promise<SendResult> => ok(notifications.POST('/api/notifications', { body })),
    /** the caller's sends with `send_at` not sent yet, soonest first (at most 100) */
    scheduled: () => ok(notifications.GET('/api/notifications/scheduled')),
    /**
     * cancels one of the caller's scheduled sends (204): the same `DELETE /api/notifications/{id}` as `remove`, named
     * for what a sender means; rejects with an ApiError 409 once it went out (nothing is unsent), 404 for another's id
     */
    cancelScheduled: remove,
    delivery: (id: string) => ok(notifications.GET('/api/notifications/{id}/delivery', byId(id))),
    /** the caller's topic subscriptions in their company, by topic */
    topics: () => ok(notifications.GET('/api/topics')),
    /**
     * follows `key` in the caller's company: from now on its notifications reach them (those sent before do not);
     * answers the subscription, the same one (same since_seq) when already subscribed
     */
    subscribe: (key: string) => ok(notifications.PUT('/api/topics/{key}/subscription', byKey(key))),
    /** stops following `key` (204, also when not subscribed): its notifications leave the caller's inbox */
    unsubscribe: (key: string): Promise<void> => ok(notifications.DELETE('/api/topics/{key}/subscription', byKey(key))),
    /** admins and service accounts: a page of the topic's subscribers by user id (`next_after` → the next page's `after`) */
    subscribers: (key: string, query: TopicSubscribersQuery = {}) =>
      ok(notifications.GET('/api/topics/{key}/subscribers', { params: { path: { key }, query } })),
    /** admins and service accounts: subscribes a user of the company (404 problem for anyone else, 403 for a plain user) */
    addSubscriber: (key: string, userId: string, query: TopicCompanyQuery = {}) =>
      ok(notifications.PUT('/api/topics/{key}/subscribers/{userId}', bySubscriber(key, userId, query))),
    /** admins and service accounts: unsubscribes a user of the company (204, also when not subscribed) */
    removeSubscriber: (key: string, userId: string, query: TopicCompanyQuery = {}): Promise<void> =>
      ok(notifications.DELETE('/api/topics/{key}/subscribers/{userId}', bySubscriber(key, userId, query))),
    me: () => ok(auth.GET('/api/auth/me')),
    users: (query: UsersQuery = {}) => ok(auth.GET('/api/auth/users', { params: { query } })),
    userCount: (query: UserCountQuery = {}) => ok(auth.GET('/api/auth/users/count', { params: { query } })),
    companies: () => ok(auth.GET('/api/auth/companies')),
    session: {
      login: (body: LoginRequest) => ok(cookie.POST('/api/auth/session', { ...csrf, body })),
      refresh: () => ok(cookie.POST('/api/auth/session/refresh', csrf)),
      logout: () => ok(cookie.DELETE('/api/auth/session', csrf)),
    },
  };
}

export type RestClient = ReturnType<typeof createRestClient>;
