import { isTopicKey } from '@notify/client';
import { z } from 'zod';

/** What a topic key may be (the service's pattern, TOPIC_KEY_PATTERN of @notify/client), in words. */
export const TOPIC_KEY_RULE = 'Up to 128 letters, digits and . _ : - (starting with a letter or digit)';

/** A topic key as a form field: checked here before the service would answer 400. */
export const topicKey = z
  .string()
  .trim()
  .min(1, 'Name the topic, e.g. project-42')
  .refine(isTopicKey, TOPIC_KEY_RULE);

export const TOPICS_KEY = ['topics'] as const;
export const subscribersKey = (topic: string) => ['topic-subscribers', topic] as const;
