import { describe, expect, it } from 'vitest';
import { groupByDay, typeChoices, typeLabel } from './presentation';

describe('presentation', () => {
  it('groups newest-first items into Today and Earlier, leaving out an empty group', () => {
    const now = new Date(2026, 11, 6, 9, 0);
    const at = (d: number, h: number) => ({ created_at: new Date(2026, 11, d, h, 0).toISOString() });
    const items = [at(6, 8), at(6, 0), at(5, 23), at(1, 12)];
    expect(groupByDay(items, now)).toEqual([
      { label: 'Today', items: [items[0], items[1]] },
      { label: 'Earlier', items: [items[2], items[3]] },
    ]);
    expect(groupByDay(items.slice(3), now).map((g) => g.label)).toEqual(['Earlier']);
  });

  it('says what a type is in words, also for types it does not know', () => {
    expect(typeLabel('mom_created')).toBe('Meeting minutes');
    expect(typeLabel('action_item')).toBe('Action items');
    expect(typeLabel('build_failed')).toBe('Build failed');
    expect(typeChoices(['mention', 'alert'], ['alert', 'meeting'])).toEqual(['alert', 'meeting', 'mention']);
  });
});
