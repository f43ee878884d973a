import { act } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { load } from './session';

afterEach(() => vi.useRealTimers());

describe('AuthProvider', () => {
  it('refreshes an idle session before the access token expires, so the socket never holds an expired one', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    localStorage.setItem(
      'notify.session',
      JSON.stringify({ accessToken: fakeJwt(120), refreshToken: 'r1', expiresAt: Date.now() + 120_000 }),
    );
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/auth/refresh': { status: 200, body: { access_token: fakeJwt(900, 'next'), refresh_token: 'r2', expires_in: 900 } },
    });
    renderWithApp(<p>signed in</p>);
    await act(() => vi.advanceTimersByTimeAsync(55_000));
    expect(calls.some((c) => c.url === '/api/auth/refresh')).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(20_000)); // now inside the last minute
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    expect(load()?.refreshToken).toBe('r2');
  });
});
