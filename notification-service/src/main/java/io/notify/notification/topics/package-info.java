/**
 * Topics: subscriptions beyond company and role ({@code project-42}, {@code invoice-1001}), always within one company
 * ({@link io.notify.notification.topics.TopicResource}, {@link io.notify.notification.topics.TopicService}). A
 * subscription is a row with the seq of the {@code subscription_changed} event its subscribe appended
 * ({@code since_seq}); the inbox's topic branch ({@code inbox.InboxQueries}) shows a subscriber the topic's
 * notifications above it. Each change is a per-user event, so every tab and gateway follows it and resume replays it.
 */
package io.notify.notification.topics;
