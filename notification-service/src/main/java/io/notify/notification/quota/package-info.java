/**
 * Send quotas, shared by every instance: sends per window (a minute) per company, per service account and per user,
 * counted in PostgreSQL ({@link io.notify.notification.quota.SendQuotas}: one row per scope, key and window, taken
 * atomically), with limits from configuration ({@link io.notify.notification.quota.QuotaConfig}) overridden per company
 * or service account in {@code send_quotas} ({@link io.notify.notification.quota.SendQuotas#setLimit}); the 429 problem
 * of a send over quota ({@link io.notify.notification.quota.QuotaVerdict#asProblem}) and the per-company meters
 * ({@link io.notify.notification.quota.QuotaMetrics}). What a send counts against is the send policy's call
 * ({@code send.SendPolicy}); what the Kafka intake does with a record over quota is {@code send.DeferredSends}.
 */
package io.notify.notification.quota;
