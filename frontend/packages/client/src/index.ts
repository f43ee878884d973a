export * from './protocol.gen';
export { ACK_BATCH_MS, ACK_FRAMES_PER_SECOND, ACK_MAX_IDS, LiveSocket, socketUrl } from './socket';
export type { ConnectionStatus, LiveEvent, LiveSocketOptions } from './socket';
export { applyLiveEvent, completeAction, followUp, holds, markRead, prepend, removeOne, upTo, withId } from './inbox';
export type { FollowUp, InboxChange, InboxPages, InboxView } from './inbox';
export { ApiError, createRestClient, isScheduled } from './rest';
export { actionFailure, actionLabel, completedAction } from './actions';
export type { ActionButton } from './actions';
export { audienceLabel, cancelFailure, nextLookMs, SCHEDULED_POLL_MAX_MS } from './scheduled';
export type { AudienceView } from './scheduled';
export { snoozeChoices } from './snooze';
export { isTopicKey, TOPIC_KEY_PATTERN } from './topics';
export type { SnoozeChoice } from './snooze';
export type {
  DeliveryStats,
  InboxPage,
  InboxQuery,
  LoginRequest,
  Notification,
  NotificationRequest,
  Preferences,
  RestClient,
  RestOptions,
  ScheduledSend,
  SendResult,
  TopicAudience,
  TopicCompanyQuery,
  TopicSubscriber,
  TopicSubscriberPage,
  TopicSubscribersQuery,
  TopicSubscription,
  TopicSubscriptions,
  UserCountQuery,
  UsersQuery,
} from './rest';
export type { TokenProvider } from './token';
/** The services' OpenAPI types, for calls beyond the everyday ones (the raw `auth` / `notifications` clients). */
export type { components as AuthComponents, paths as AuthPaths } from './generated/auth';
export type { components as NotificationComponents, paths as NotificationPaths } from './generated/notification';
