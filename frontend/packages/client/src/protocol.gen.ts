// Generated from contracts/asyncapi.yaml (channel `socket`) by scripts/protocol-types.mjs. Do not edit:
// change the contract and run `npm run protocol`.

/**
 * Position in ONE global sequence shared by notifications and per-user state events. A client
 * resumes from the highest `seq` it saw.
 */
export type Seq = number;

/**
 * lower_snake_case, at most 64 characters. Known values: general, meeting, meeting_response,
 * meeting_invitation, meeting_scheduled, action_item, approval, mom_created, info, warning,
 * error, success. The set is open: any value matching the pattern is accepted.
 */
export type NotificationType = string;

/** `urgent` gets through even to users who switched the type off. */
export type Priority = "low" | "normal" | "high" | "urgent";

/** A button on a notification. */
export interface Action {
  /** Unique within the notification; what a completion names (in a URL path as is). */
  id: string;
  label: string;
  style?: "primary" | "secondary" | "danger" | null;
}

/** An action as stored and shown (its style defaulted). */
export type StoredAction = Action & {
  style: string;
  [key: string]: unknown;
};

/**
 * The notification as a socket shows it: a stored notification without its audience and seq (the
 * frame carries the seq). `link`, `sender`, `expires_at` and `external_id` are left out when null.
 */
export interface NotificationPayload {
  id: string;
  title: string;
  message: string;
  type: NotificationType;
  priority: Priority;
  created_at: string;
  /** Whether this user has read it (false for a live push). */
  read: boolean;
  /** Free-form JSON object of the sender. */
  data: {
    [key: string]: unknown;
  };
  link?: string;
  sender?: string;
  expires_at?: string;
  /**
   * The sender's own id for it (`external_id` of the request, `payload.id` of the seed's broadcast
   * envelope): match your notifications by it, `id` is the store's.
   */
  external_id?: string;
  /** Its buttons, in order (complete one with `complete_action`); absent when it has none. */
  actions?: StoredAction[];
}

export interface NotificationFrame {
  type: "notification";
  /** The notification's id, as in `payload.id`. */
  id: string;
  /** Where this push stands in the sequence; for a resurfaced one the wake-up's, not the notification's own (`payload` has no seq). */
  seq: Seq;
  /** Present when a notification the user snoozed came back (unread); absent for a new one. */
  resurfaced?: true;
  /**
   * Present (true) only when the user is in their quiet hours (`preferences.quiet_hours`) and the
   * notification is not urgent: stored and counted as usual, but clients show no toast or sound for it.
   * Absent otherwise (and on every `resume` replay).
   */
  silent?: true;
  payload: NotificationPayload;
}

/**
 * Any JSON value but null that the client put in its frame's `ref`, echoed unchanged in the reply
 * (and in an `error` for that frame). Absent when the client sent none.
 */
export type FrameRef = unknown;

/** Pushed: `seq`, no `ref`. The reply to `mark_read`: `ref` (when the client sent one), no `seq`. */
export interface NotificationReadFrame {
  type: "notification_read";
  ref?: FrameRef;
  notification_id: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `mark_all_read`: `ref` (when the client sent one), no `seq`. */
export interface AllReadFrame {
  type: "all_read";
  ref?: FrameRef;
  /** Every notification with `seq <= read_up_to` is read for this user. */
  read_up_to: number;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `delete_notification`: `ref` (when the client sent one), no `seq`. */
export interface NotificationDeletedFrame {
  type: "notification_deleted";
  ref?: FrameRef;
  notification_id: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `mark_seen`: `ref` (when the client sent one), no `seq`. */
export interface AllSeenFrame {
  type: "all_seen";
  ref?: FrameRef;
  /** Every notification with `seq <= seen_up_to` is seen by this user (not read). */
  seen_up_to: number;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `archive`: `ref` (when the client sent one), no `seq`. Remove it from the list; it is read. */
export interface NotificationArchivedFrame {
  type: "notification_archived";
  ref?: FrameRef;
  notification_id: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `unarchive`: `ref` (when the client sent one), no `seq`. Back in the list (reload it), still read. */
export interface NotificationUnarchivedFrame {
  type: "notification_unarchived";
  ref?: FrameRef;
  notification_id: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `snooze`: `ref` (when the client sent one), no `seq`. Remove it from the list and the counts until `until`, when it comes back as a `notification` frame with `resurfaced: true`. */
export interface NotificationSnoozedFrame {
  type: "notification_snoozed";
  ref?: FrameRef;
  notification_id: string;
  until: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `unsnooze`: `ref`, no `seq`. Back in the list before its time, as it was (reload the list). */
export interface NotificationUnsnoozedFrame {
  type: "notification_unsnoozed";
  ref?: FrameRef;
  notification_id: string;
  seq?: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `complete_action`: `ref` (when the client sent one), no `seq`. Show the action done and the notification's buttons disabled. */
export interface ActionCompletedFrame {
  type: "action_completed";
  ref?: FrameRef;
  notification_id: string;
  action_id: string;
  completed_at: string;
  seq?: Seq;
}

/**
 * From `start` to `end` (wall-clock `HH:mm` in the IANA zone `timezone`, DST-correct; across midnight
 * when `end` is before `start`; `start` equal to `end` is refused) notifications that are not urgent are
 * stored and counted but pushed with `"silent": true`. Absent: no quiet hours.
 */
export interface QuietHours {
  /** Local time HH:mm, e.g. 22:00. */
  start: string;
  /** Local time HH:mm, e.g. 07:00. */
  end: string;
  /** An IANA time zone id, e.g. Europe/Berlin. */
  timezone: string;
}

/**
 * A user's notification types switched on (true) or off (false); types not listed are on. A
 * type switched off is neither pushed nor counted as unread, except priority `urgent`.
 */
export interface Preferences {
  types: {
    [key: string]: boolean;
  };
  quiet_hours?: QuietHours;
  [key: string]: unknown;
}

export interface PreferencesUpdatedFrame {
  type: "preferences_updated";
  preferences: Preferences;
  seq: Seq;
}

/** Pushed: `seq`, no `ref`. The reply to `subscribe_topic` / `unsubscribe_topic`: `ref`, no `seq`. Subscribed: the topic's notifications from `seq` on are the user's. Unsubscribed: they left the inbox (reload it and the counts). */
export interface SubscriptionChangedFrame {
  type: "subscription_changed";
  ref?: FrameRef;
  seq?: Seq;
  topic: string;
  subscribed: boolean;
}

export interface ResyncFrame {
  type: "resync";
  ref?: FrameRef;
  /** Continue from here after reloading. */
  last_seq: number;
  /** For people, e.g. `more than 500 changes since seq 41`. */
  reason: string;
}

export interface ReconnectFrame {
  type: "reconnect";
  /** How long to wait before reconnecting. */
  delay_ms: number;
}

/**
 * `malformed_json` (not JSON), `invalid_frame` (not an object with a string `type`), `unknown_type`,
 * `invalid_request` (a field of the frame, or notification-service's 400), `invalid_token`
 * (`refresh_token`), `unauthorized` / `forbidden` / `not_found` / `rate_limited` (notification-service's
 * 401 / 403 / 404 / 429, or more than 20 frames per second on this socket), `conflict` (notification-service's
 * 409: another action of the notification was completed before), `unavailable` (the store
 * could not be reached or failed: retry), `internal_error` (a gateway bug).
 */
export type ErrorCode = "malformed_json" | "invalid_frame" | "unknown_type" | "invalid_request" | "invalid_token" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable" | "internal_error";

export interface ErrorFrame {
  type: "error";
  ref?: FrameRef;
  code: ErrorCode;
  /** For people; notification-service's `detail` for the errors it answers. */
  message: string;
}

export interface PongFrame {
  type: "pong";
  ref?: FrameRef;
}

/** The action a reader completed, and when. */
export interface ActionCompletion {
  action_id: string;
  completed_at: string;
}

/**
 * A stored notification as notification-service answers one reader over REST
 * (`GET /api/notifications`, `POST /api/notifications`; its OpenAPI document has every field): the
 * audience never lists other recipients, `read` is there for the reader's inbox. Unknown fields
 * allowed (the gateway passes these bodies through).
 */
export interface ReaderNotification {
  id: string;
  seq: Seq;
  audience?: {
    type: "user" | "users" | "company" | "role" | "everyone";
    [key: string]: unknown;
  };
  title: string;
  message: string;
  type: NotificationType;
  priority: Priority;
  data: {
    [key: string]: unknown;
  };
  link?: string | null;
  sender?: string;
  created_at: string;
  expires_at?: string | null;
  read?: boolean;
  external_id?: string;
  actions?: StoredAction[];
  completed_action?: ActionCompletion;
  [key: string]: unknown;
}

export interface NotificationsFrame {
  type: "notifications";
  ref?: FrameRef;
  items: ReaderNotification[];
  /** Pass it as `cursor` for the next page; null (or absent) on the last page. */
  next_cursor?: string | null;
}

export interface UnreadCountFrame {
  type: "unread_count";
  ref?: FrameRef;
  /** Unread notifications, without types the user switched off (urgent ones always count). */
  total: number;
  by_priority: {
    [key: string]: number;
  };
  /** Counting stops at a limit (default 1000): true means "at least `total`". */
  capped: boolean;
  /** Those of them above the user's seen watermark (`mark_seen`), the bell's badge. */
  unseen: number;
}

export interface SentFrame {
  type: "sent";
  ref?: FrameRef;
  notification: ReaderNotification;
}

export interface ResumedFrame {
  type: "resumed";
  ref?: FrameRef;
  /** The highest seq of the store when it answered; resume from here next time. */
  last_seq: number;
}

export interface TokenRefreshedFrame {
  type: "token_refreshed";
  ref?: FrameRef;
  /** The new token's expiry. */
  expires_at: string;
}

export interface NotificationClickedFrame {
  type: "notification_clicked";
  ref?: FrameRef;
  notification_id: string;
}

export interface IdentityChangedFrame {
  type: "identity_changed";
  /** The user's company now. */
  company: string;
  /** The user's roles now. */
  roles: ("user" | "admin" | "service")[];
}

export interface PingFrame {
  type: "ping";
  ref?: FrameRef;
}

export interface GetNotificationsFrame {
  type: "get_notifications";
  ref?: FrameRef;
  /** Page size (default 50). */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** Only unread ones. */
  unread?: boolean;
  /** Only these types. */
  types?: NotificationType | NotificationType[];
  /** Only these priorities. */
  priorities?: Priority | Priority[];
  /** newest (default) or urgent ones first. */
  order?: "newest" | "urgent_first";
  /** The archived ones (and only those). */
  archived?: boolean;
}

export interface GetUnreadCountFrame {
  type: "get_unread_count";
  ref?: FrameRef;
}

export interface MarkReadFrame {
  type: "mark_read";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`. */
  notification_id: string;
}

export interface MarkAllReadFrame {
  type: "mark_all_read";
  ref?: FrameRef;
  /** Mark read up to this seq only (default everything); not a number → `error` `invalid_request`. */
  up_to?: number;
}

export interface DeleteNotificationFrame {
  type: "delete_notification";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`. */
  notification_id: string;
}

export interface MarkSeenFrame {
  type: "mark_seen";
  ref?: FrameRef;
  /** Mark seen up to this seq only (default everything); not a number → `error` `invalid_request`. */
  up_to?: number;
}

export interface ArchiveFrame {
  type: "archive";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`; not in the inbox → `not_found`. */
  notification_id: string;
}

export interface UnarchiveFrame {
  type: "unarchive";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`; not in the inbox → `not_found`. */
  notification_id: string;
}

/** An auth-service user id. */
export type UserId = string;

/**
 * The fields of an audience and which type needs which (no `additionalProperties` here; see
 * `Audience` and `EventAudience`). `null` counts as absent.
 * * `user`: `user_ids` holds exactly one id; no `company`, no `role`.
 * * `users`: `user_ids` holds at least one id; no `company`, no `role`.
 * * `company`: `company` required; no `user_ids`, no `role`.
 * * `role`: `role` required, `company` optional (the role within that company, else across
 *   all companies); no `user_ids`.
 * * `everyone`: nothing else.
 * * `topic`: `topic` and `company` required (the subscribers of the topic within that company who
 *   subscribed before it was sent); no `user_ids`, no `role`.
 * `topic` is only allowed for a `topic` audience.
 */
export type AudienceRules = {
  type: "user" | "users" | "company" | "role" | "everyone" | "topic";
  user_ids?: UserId[] | null;
  /** A company slug. */
  company?: string | null;
  role?: "user" | "admin" | "service" | null;
  /** A topic key, within `company`. */
  topic?: string | null;
  [key: string]: unknown;
};

/** Who a notification is for, in a request. Unknown fields are rejected. */
export type Audience = AudienceRules & {
  type?: unknown;
  user_ids?: unknown;
  company?: unknown;
  role?: unknown;
  topic?: unknown;
};

/** A notification to send. Unknown fields are rejected; `null` means absent for optional fields. */
export interface NotificationRequest {
  audience: Audience;
  /** Not blank. */
  title: string;
  /** Not blank. */
  message: string;
  /** Defaults to `general`. */
  type?: NotificationType | null;
  /** Defaults to `normal`. */
  priority?: "low" | "normal" | "high" | "urgent" | null;
  /** Free-form JSON object handed to clients as is (stored as `{}` when absent). */
  data?: {
    [key: string]: unknown;
  } | null;
  /** Where a client should take the user, e.g. `/meetings/42`. */
  link?: string | null;
  /** RFC 3339 date-time after which the notification is no longer shown. */
  expires_at?: string | null;
  /**
   * Your own id for the notification (1 to 200 characters, no control characters), kept as the
   * notification's `external_id`: in the `created` event, the socket's `notification` frame, the inbox,
   * and found by `GET /api/notifications/external/{externalId}`. A label, not a key: not unique, and
   * not an idempotency key.
   */
  external_id?: string | null;
  /**
   * Send it later: RFC 3339 date-time at most 366 days ahead (beyond: dead-lettered). The request is
   * kept (its record acknowledged) and stored, pushed and counted when due, within about a second,
   * once; it counts against no quota. One due by the time it is read (a lagging consumer) is sent at once.
   */
  send_at?: string | null;
  /**
   * Up to 3 buttons; ids unique within the notification (not expressible here: the store refuses
   * duplicates with a violation on `actions`). Each reader may complete one of them.
   */
  actions?: Action[] | null;
  /**
   * Retrying with the same key creates nothing new. When absent, the `idempotency-key`
   * header is used instead; when both are absent, one made of the record's topic, partition,
   * offset and timestamp (`kafka-record:…`), so the same record read again creates nothing new.
   */
  idempotency_key?: string | null;
  /**
   * Optional (absent means 1). A record of another version is dead-lettered ("unsupported
   * schema_version 2: this consumer reads version 1") for a consumer that reads it.
   */
  schema_version?: 1 | null;
}

export interface SendNotificationFrame {
  type: "send_notification";
  ref?: FrameRef;
  /** The body of `POST /api/notifications`; not an object → `error` `invalid_request`. */
  notification: NotificationRequest;
}

export interface ResumeFrame {
  type: "resume";
  ref?: FrameRef;
  /** The highest `seq` this client saw (0 for none); missing or negative → `error` `invalid_request`. */
  last_seq: number;
}

export interface RefreshTokenFrame {
  type: "refresh_token";
  ref?: FrameRef;
  /** A fresh access token of the same user. */
  token: string;
}

export interface AckFrame {
  type: "ack";
  ref?: FrameRef;
  /** Ids of `notification` frames this socket received. */
  ids: string[];
}

export interface ClickedFrame {
  type: "clicked";
  ref?: FrameRef;
  /** The notification whose link the user opened. */
  id: string;
}

export interface CompleteActionFrame {
  type: "complete_action";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`; not in the inbox → `not_found`. */
  notification_id: string;
  /** One of the notification's `actions[].id`; not one → `not_found`; another completed before → `conflict`. */
  action_id: string;
}

export interface SnoozeFrame {
  type: "snooze";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`; not in the inbox → `not_found`. */
  notification_id: string;
  /** When it comes back, in the next 30 days; else `error` `invalid_request`. */
  until: string;
}

export interface UnsnoozeFrame {
  type: "unsnooze";
  ref?: FrameRef;
  /** Not a UUID → `error` `invalid_request`; not snoozed or not in the inbox → `not_found`. */
  notification_id: string;
}

export interface SubscribeTopicFrame {
  type: "subscribe_topic";
  ref?: FrameRef;
  /** A topic of the user's company; not a topic key → `error` `invalid_request`. */
  topic: string;
}

export interface UnsubscribeTopicFrame {
  type: "unsubscribe_topic";
  ref?: FrameRef;
  topic: string;
}

/** Every frame the gateway sends (operation `sendSocketFrame`). */
export type ServerFrame =
  | NotificationFrame
  | NotificationReadFrame
  | AllReadFrame
  | NotificationDeletedFrame
  | AllSeenFrame
  | NotificationArchivedFrame
  | NotificationUnarchivedFrame
  | NotificationSnoozedFrame
  | NotificationUnsnoozedFrame
  | ActionCompletedFrame
  | PreferencesUpdatedFrame
  | SubscriptionChangedFrame
  | ResyncFrame
  | ReconnectFrame
  | ErrorFrame
  | PongFrame
  | NotificationsFrame
  | UnreadCountFrame
  | SentFrame
  | ResumedFrame
  | TokenRefreshedFrame
  | NotificationClickedFrame
  | IdentityChangedFrame;

/** The `type` of every ServerFrame, in the contract's order. */
export const SERVER_FRAME_TYPES = ["notification", "notification_read", "all_read", "notification_deleted", "all_seen", "notification_archived", "notification_unarchived", "notification_snoozed", "notification_unsnoozed", "action_completed", "preferences_updated", "subscription_changed", "resync", "reconnect", "error", "pong", "notifications", "unread_count", "sent", "resumed", "token_refreshed", "notification_clicked", "identity_changed"] as const;

/** Every frame a client may send (operation `receiveSocketFrame`). */
export type ClientFrame =
  | PingFrame
  | GetNotificationsFrame
  | GetUnreadCountFrame
  | MarkReadFrame
  | MarkAllReadFrame
  | DeleteNotificationFrame
  | MarkSeenFrame
  | ArchiveFrame
  | UnarchiveFrame
  | SendNotificationFrame
  | ResumeFrame
  | RefreshTokenFrame
  | AckFrame
  | ClickedFrame
  | CompleteActionFrame
  | SnoozeFrame
  | UnsnoozeFrame
  | SubscribeTopicFrame
  | UnsubscribeTopicFrame;

/** The `type` of every ClientFrame, in the contract's order. */
export const CLIENT_FRAME_TYPES = ["ping", "get_notifications", "get_unread_count", "mark_read", "mark_all_read", "delete_notification", "mark_seen", "archive", "unarchive", "send_notification", "resume", "refresh_token", "ack", "clicked", "complete_action", "snooze", "unsnooze", "subscribe_topic", "unsubscribe_topic"] as const;
