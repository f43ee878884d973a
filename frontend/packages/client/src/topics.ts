// Topics (issue 25): subscriptions beyond company and role ("project-42", "invoice-1001"), scoped to a company.
// Written by hand, shaped exactly as the topics contract says, until notification-service's OpenAPI document has
// the Topics endpoints: then `npm run codegen` generates these shapes (and the paths) into ./generated, the
// aliases below become `Schemas['TopicSubscription']` and friends, and `TopicPaths` goes in favour of
// NotificationPaths, as every other call of rest.ts does.

/** A topic key: what notification-service accepts (anything else is a 400 problem naming `key`, or `audience.topic` in a send). */
export const TOPIC_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** True when `key` is a topic key the service accepts (1 to 128 characters: letters, digits and `._:-`, not first). */
export const isTopicKey = (key: string): boolean => TOPIC_KEY_PATTERN.test(key);

/** A send's audience: everyone subscribed to `topic` in `company`, stored once (no recipient rows). */
export interface TopicAudience {
  type: 'topic';
  topic: string;
  company: string;
}

/** One user's subscription to a topic of their company: they see its notifications whose seq is above `since_seq`. */
export interface TopicSubscription {
  topic: string;
  company: string;
  user_id: string;
  /** the seq of the `subscription_changed` event the subscribe appended */
  since_seq: number;
  subscribed_at: string;
}

/** `GET /api/topics`: the caller's subscriptions in their company, by topic. */
export interface TopicSubscriptions {
  items: TopicSubscription[];
}

/** One subscriber of a topic, as its subscribers' page lists them. */
export interface TopicSubscriber {
  user_id: string;
  since_seq: number;
  subscribed_at: string;
}

/** `GET /api/topics/{key}/subscribers`: keyset-paged by user_id; `next_after` is the next page's `after`, null on the last. */
export interface TopicSubscriberPage {
  items: TopicSubscriber[];
  next_after: string | null;
}

export interface TopicSubscribersQuery {
  /** the previous page's `next_after` */
  after?: string;
  /** 1 to 500, default 100 */
  limit?: number;
  /** a service account with several companies in its scope: whose topic (a user's and an admin's is their own company's) */
  company?: string;
}

/** A service account with several companies in its scope names whose topic it means; admins manage their own company's. */
export interface TopicCompanyQuery {
  company?: string;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type ProblemJson = { headers: { [name: string]: unknown }; content: { 'application/problem+json': unknown } };
type Params<Path, Query = never> = { query?: Query; header?: never; path: Path; cookie?: never };
type Operation<P, Ok> = { parameters: P; requestBody?: never; responses: Ok & { 400: ProblemJson; 401: ProblemJson; 403: ProblemJson; 404: ProblemJson } };
type Key = { key: string };
type Subscriber = { key: string; userId: string };

/** The Topics endpoints in openapi-typescript's shape, so that openapi-fetch types their calls as it does the generated ones. */
export interface TopicPaths {
  '/api/topics': {
    get: Operation<{ query?: never; header?: never; path?: never; cookie?: never }, { 200: Json<TopicSubscriptions> }>;
  };
  '/api/topics/{key}/subscription': {
    put: Operation<Params<Key>, { 200: Json<TopicSubscription> }>;
    delete: Operation<Params<Key>, { 204: NoContent }>;
  };
  '/api/topics/{key}/subscribers': {
    get: Operation<Params<Key, TopicSubscribersQuery>, { 200: Json<TopicSubscriberPage> }>;
  };
  '/api/topics/{key}/subscribers/{userId}': {
    put: Operation<Params<Subscriber, TopicCompanyQuery>, { 200: Json<TopicSubscription> }>;
    delete: Operation<Params<Subscriber, TopicCompanyQuery>, { 204: NoContent }>;
  };
}
