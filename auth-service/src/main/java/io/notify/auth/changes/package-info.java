/**
 * Directory changes for the other services: every change to a user (created, disabled, enabled, roles, company) or a
 * service account (created, disabled, enabled, companies) is written to an outbox in the transaction that makes it
 * ({@link io.notify.auth.changes.UserChanges}) and relayed from there to the Kafka topic {@code user-changes}
 * ({@link io.notify.auth.changes.ChangeRelay}), each record carrying the resulting state. Gateways re-route or close
 * the user's open sockets and notification-service applies the state to every request, so a change takes effect in
 * seconds, not when the user's access token expires. The requests this service answers itself check the same state
 * ({@link io.notify.auth.changes.CurrentAccountCheck}).
 */
package io.notify.auth.changes;
