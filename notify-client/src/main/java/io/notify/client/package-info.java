/**
 * The Java producer SDK: {@link io.notify.client.Notification} (an immutable request, built and checked before it is
 * sent), {@link io.notify.client.NotifyClient} (REST with a service account's client credentials, retries with one
 * idempotency key), {@link io.notify.client.NotifyKafkaProducer} (records on {@code notification-requests}), and the
 * typed problems a send can end in ({@link io.notify.client.NotifyException} and its subclasses).
 */
package io.notify.client;
