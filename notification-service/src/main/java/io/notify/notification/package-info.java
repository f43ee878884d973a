/**
 * notification-service: the store of notifications. The root holds what every capability shares: a notification
 * ({@link io.notify.notification.Audience}, {@link io.notify.notification.NotificationView}, the
 * {@link io.notify.notification.Notification} and recipient entities), the per-user
 * {@link io.notify.notification.Preferences}, and the {@link io.notify.notification.DedicatedConnection} of the two
 * hot-path writers. Capabilities: {@code send}, {@code broadcast}, {@code inbox}, {@code delivery} (receipts, reads,
 * clicks and engagement events), {@code outbox}, {@code identity},
 * {@code retention}, and {@code problem} (how invalid input and errors are answered).
 */
package io.notify.notification;
