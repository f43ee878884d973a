import { describe, expect, it } from 'vitest';
import { snoozeChoices } from '../src/snooze';

// What a Snooze menu offers: always in the future and within the server's 30 days, at the times people expect.
describe('snoozeChoices', () => {
  it('offers an hour from now, tomorrow at 9:00 and next Monday at 9:00, in local time', () => {
    const sunday = new Date(2026, 11, 6, 23, 30); // a Sunday, late
    expect(snoozeChoices(sunday).map((c) => [c.label, c.until])).toEqual([
      ['In 1 hour', new Date(2026, 11, 7, 0, 30)],
      ['Tomorrow, 9:00', new Date(2026, 11, 7, 9, 0)],
      ['Next Monday, 9:00', new Date(2026, 11, 14, 9, 0)], // not the same as tomorrow
    ]);
    const monday = new Date(2026, 11, 7, 10, 0);
    expect(snoozeChoices(monday)[2]?.until).toEqual(new Date(2026, 11, 14, 9, 0)); // not today: a week on
  });

  it('is always in the future and at most 30 days ahead', () => {
    for (let day = 0; day < 14; day++) {
      const now = new Date(2026, 11, day + 1, (day * 5) % 24, 59);
      for (const { until } of snoozeChoices(now)) {
        expect(until.getTime()).toBeGreaterThan(now.getTime());
        expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(30 * 86_400_000);
      }
    }
  });
});
