/**
 * What happened to each notification: the gateways' delivery receipts (Kafka {@code notification-receipts}, applied
 * once per batch by {@code ReceiptConsumer}), reads and clicks per user ({@code Receipts}: one row per notification and
 * user, one counters row per notification), the undelivered check ({@code UndeliveredCheck}), the engagement events on
 * {@code notification-engagement} (through the outbox: {@code EngagementOutbox}) and
 * {@code GET /api/notifications/{id}/delivery} for senders and admins ({@code DeliveryResource}).
 */
package io.notify.notification.delivery;
