import { describe, expect, it } from 'vitest';
import { isTopicKey } from '../src/topics';

describe('isTopicKey', () => {
  it("accepts the contract's keys: 1 to 128 of letters, digits and ._:- , not starting with one of ._:-", () => {
    for (const key of ['project-42', 'invoice-1001', 'a', 'Team.Ops:eu_1', '9', `a${'b'.repeat(127)}`]) {
      expect(isTopicKey(key), key).toBe(true);
    }
    for (const key of ['', '-project', '.x', 'a b', 'projekt/42', 'ü', `a${'b'.repeat(128)}`, 'x\n']) {
      expect(isTopicKey(key), JSON.stringify(key)).toBe(false);
    }
  });
});
