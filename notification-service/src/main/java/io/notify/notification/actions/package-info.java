/**
 * Action buttons (issue 25): the {@code actions} a notification carries ({@code Action}, validated with the send), and
 * their completion per reader ({@code ActionService}: one per notification and user, in {@code action_completions};
 * {@code POST /api/notifications/{id}/actions/{actionId}}), told to the reader's tabs ({@code action_completed}) and
 * to the producer (the {@code actioned} engagement event, and a signed POST to the sending service account's webhook:
 * {@code Webhooks}, a durable queue in {@code webhook_deliveries}, retried with backoff until given up).
 */
package io.notify.notification.actions;
