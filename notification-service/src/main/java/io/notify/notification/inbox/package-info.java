/**
 * A caller's inbox: pages, unread counts, read / read-all / delete, preferences and resume
 * ({@link io.notify.notification.inbox.InboxResource}, {@link io.notify.notification.inbox.InboxService}), computed on
 * read from the caller's identity ({@link io.notify.notification.inbox.InboxQueries}: fan-out on read). A read (one or
 * read-all) is also recorded for delivery statistics ({@code delivery.Receipts}) in the same transaction.
 */
package io.notify.notification.inbox;
