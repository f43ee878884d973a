// Topics (issue 25): subscriptions beyond company and role ("project-42", "invoice-1001"), scoped to a company.
// The shapes and the calls are notification-service's OpenAPI document's (tag "Topics", generated into ./generated;
// rest.ts names them); what the service accepts as a key is checked here before a call.

/** A topic key: what notification-service accepts (anything else is a 400 problem naming `key`, or `audience.topic` in a send). */
export const TOPIC_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** True when `key` is a topic key the service accepts (1 to 128 characters: letters, digits and `._:-`, not first). */
export const isTopicKey = (key: string): boolean => TOPIC_KEY_PATTERN.test(key);
