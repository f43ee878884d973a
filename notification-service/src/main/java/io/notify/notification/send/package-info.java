/**
 * Sending: {@code POST /api/notifications} and {@code /broadcast} ({@link io.notify.notification.send.SendResource}) and
 * the Kafka intake ({@link io.notify.notification.send.NotificationRequestConsumer}) through one
 * {@link io.notify.notification.send.SendPipeline}: validate, authorize and name the send quotas it counts
 * against ({@link io.notify.notification.send.SendPolicy}), take them ({@code quota.SendQuotas}; Kafka requests over
 * quota kept for a later window: {@link io.notify.notification.send.DeferredSends}), enqueue ({@link io.notify.notification.send.SendBatcher}, group
 * commit), store ({@link io.notify.notification.send.NotificationWriter}: one statement per batch).
 */
package io.notify.notification.send;
