import { describe, expect, it } from 'vitest';
import { ApiError, audienceLabel, cancelFailure, nextLookMs, SCHEDULED_POLL_MAX_MS } from '../src';

const now = Date.parse('2026-12-06T09:00:00Z');
const at = (offsetMs: number) => ({ send_at: new Date(now + offsetMs).toISOString() });

describe('scheduled sends, as a sender lists them', () => {
  it('looks again a second after the soonest is due, every second while one is overdue, at most every 30 s, never while none is pending', () => {
    expect(nextLookMs([], now)).toBe(false);
    expect(nextLookMs(undefined, now)).toBe(false);
    expect(nextLookMs([at(60_000), at(5_000)], now)).toBe(6_000);
    expect(nextLookMs([at(-10_000)], now)).toBe(1_000);
    expect(nextLookMs([at(3600_000)], now)).toBe(SCHEDULED_POLL_MAX_MS);
  });

  it('names each audience in a few words', () => {
    expect(audienceLabel({ type: 'user' })).toBe('1 user');
    expect(audienceLabel({ type: 'users', user_ids: ['a', 'b'] })).toBe('2 users');
    expect(audienceLabel({ type: 'company', company: 'company_a' })).toBe('company company_a');
    expect(audienceLabel({ type: 'role', role: 'admin', company: 'company_a' })).toBe('role admin in company_a');
    expect(audienceLabel({ type: 'topic', topic: 'project-42', company: 'company_a' })).toBe('topic project-42 in company_a');
    expect(audienceLabel({ type: 'everyone' })).toBe('everyone');
    expect(audienceLabel(undefined)).toBe('');
  });

  it('says why a cancel failed: gone out (409), no longer scheduled (404), else the problem as the host tells it', () => {
    const send = { title: 'Standup moved' };
    const describe = (e: unknown) => (e instanceof ApiError ? `HTTP ${e.status}` : String(e));
    expect(cancelFailure(send, new ApiError(409, { status: 409 }), describe)).toBe('“Standup moved” already went out: a sent notification cannot be cancelled.');
    expect(cancelFailure(send, new ApiError(404, { status: 404 }), describe)).toBe('“Standup moved” is no longer scheduled.');
    expect(cancelFailure(send, new ApiError(503, { status: 503 }), describe)).toBe('“Standup moved” could not be cancelled: HTTP 503');
  });
});
