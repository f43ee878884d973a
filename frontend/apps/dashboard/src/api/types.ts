// Names for the API's shapes the screens use, all from the services' OpenAPI documents (generated at build
// time into @notify/client): when a service changes a field or a path incompatibly, the frontend stops compiling.
import type { AuthComponents, NotificationComponents } from '@notify/client';

type AuthSchemas = AuthComponents['schemas'];
type NotificationSchemas = NotificationComponents['schemas'];

export type TokenResponse = AuthSchemas['TokenResponse'];
export type Me = AuthSchemas['MeResponse'];
export type UserPage = AuthSchemas['UserPage'];

/** An audience as a sender writes it: one of six shapes, told apart by `type`. */
export type Audience = NotificationSchemas['Audience'];
/** An audience as the service answers it (a reader sees no `user_ids`), and as a sender wrote it. */
export type AudienceView = NotificationSchemas['AudienceView'];
export type Violation = NotificationSchemas['Violation'];
export type Priority = NonNullable<NotificationSchemas['NotificationView']['priority']>;
