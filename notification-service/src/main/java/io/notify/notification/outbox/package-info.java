/**
 * The one global sequence and the event stream: {@link io.notify.notification.outbox.SequencedOutbox} (the sequence
 * lock, seq draws, user events, outbox rows), the {@link io.notify.notification.outbox.NotificationEvent} gateways read,
 * and the {@link io.notify.notification.outbox.OutboxRelay} that publishes the outbox to {@code notification-events}.
 */
package io.notify.notification.outbox;
