/**
 * A caller's inbox: pages, unread counts, read / read-all / delete, preferences and resume
 * ({@link io.notify.notification.inbox.InboxResource}, {@link io.notify.notification.inbox.InboxService}), computed on
 * read from the caller's identity ({@link io.notify.notification.inbox.InboxQueries}: fan-out on read). A read (one or
 * read-all) is also recorded for delivery statistics ({@code delivery.Receipts}) in the same transaction. The gateway
 * loads the muted types, quiet hours and topic subscriptions of up to 100 users per request
 * ({@link io.notify.notification.inbox.MutedTypesLookup}).
 */
package io.notify.notification.inbox;
