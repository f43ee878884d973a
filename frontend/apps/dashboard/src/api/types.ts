// The API's shapes, taken from the services' OpenAPI documents (generated at build time into
// @notify/client): when a service changes a field or a path incompatibly, the frontend stops compiling.
import type { AuthComponents, AuthPaths, NotificationComponents, NotificationPaths } from '@notify/client';

type AuthSchemas = AuthComponents['schemas'];
type NotificationSchemas = NotificationComponents['schemas'];

export type TokenResponse = AuthSchemas['TokenResponse'];
export type LoginRequest = AuthSchemas['LoginRequest'];
export type RefreshRequest = AuthSchemas['RefreshRequest'];
export type LogoutRequest = AuthSchemas['LogoutRequest'];
export type Me = AuthSchemas['MeResponse'];
export type UserView = AuthSchemas['UserView'];
export type UserPage = AuthSchemas['UserPage'];
export type CompanyView = AuthSchemas['CompanyView'];

export type Notification = NotificationSchemas['NotificationView'];
export type InboxPage = NotificationSchemas['InboxPage'];
export type UnreadCount = NotificationSchemas['UnreadCount'];
export type Preferences = NotificationSchemas['Preferences'];
export type NotificationRequest = NotificationSchemas['NotificationRequest'];
/** An audience as a sender writes it: one of five shapes, told apart by `type`. */
export type Audience = NotificationSchemas['Audience'];
/** An audience as the service answers it (a reader sees no `user_ids`). */
export type AudienceView = NotificationSchemas['AudienceView'];
export type ReadAll = NotificationSchemas['ReadAll'];
export type DeliveryStats = NotificationSchemas['DeliveryView'];
export type Violation = NotificationSchemas['Violation'];
export type Priority = NonNullable<Notification['priority']>;

/** Query parameters of the inbox list, as the service declares them. */
export type InboxQuery = NonNullable<NotificationPaths['/api/notifications']['get']['parameters']['query']>;
export type UsersQuery = NonNullable<AuthPaths['/api/auth/users']['get']['parameters']['query']>;

type AnyPaths = AuthPaths & NotificationPaths;
type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
/** The paths (as the services declare them) that answer `method`. */
export type PathsWith<M extends Method> = {
  [P in keyof AnyPaths]: AnyPaths[P] extends Record<M, { responses: unknown }> ? P : never;
}[keyof AnyPaths];
/** What a successful call of `method` on `path` answers (200 JSON), per the OpenAPI document. */
export type Ok<P extends keyof AnyPaths, M extends Method> = AnyPaths[P] extends Record<M, { responses: infer R }>
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : void
  : never;
/** The JSON request body of `method` on `path`, per the OpenAPI document. */
export type Body<P extends keyof AnyPaths, M extends Method> = AnyPaths[P] extends Record<
  M,
  { requestBody?: { content: infer C } }
>
  ? C extends { 'application/json': infer B }
    ? B
    : never
  : never;
