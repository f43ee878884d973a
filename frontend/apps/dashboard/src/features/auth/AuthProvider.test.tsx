import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { adopt, load } from './session';
import { useAuth } from './AuthProvider';

afterEach(() => vi.useRealTimers());

function Who() {
  const { session, restoring } = useAuth();
  return <p>{restoring ? 'restoring' : session ? 'signed in' : 'signed out'}</p>;
}

describe('AuthProvider', () => {
  it('refreshes an idle session before the access token expires, so the socket never holds an expired one', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    adopt({ accessToken: fakeJwt(120), expiresAt: Date.now() + 120_000 });
    const next = fakeJwt(900, 'next');
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/auth/session/refresh': { status: 200, body: { access_token: next, expires_in: 900 } },
    });
    renderWithApp(<p>signed in</p>);
    await act(() => vi.advanceTimersByTimeAsync(55_000));
    expect(calls.some((c) => c.url === '/api/auth/session/refresh')).toBe(false);
    await act(() => vi.advanceTimersByTimeAsync(20_000)); // now inside the last minute
    expect(calls.filter((c) => c.url === '/api/auth/session/refresh')).toHaveLength(1);
    expect(load()?.accessToken).toBe(next);
  });

  it('restores a reloaded page from the session cookie before deciding it is signed out', async () => {
    mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/auth/session/refresh': { status: 200, body: { access_token: fakeJwt(900), expires_in: 900 } },
    });
    renderWithApp(<Who />);
    expect(screen.getByText('restoring')).toBeInTheDocument();
    expect(await screen.findByText('signed in')).toBeInTheDocument();
  });

  it('is signed out after a reload without a session cookie', async () => {
    mockApi({ 'POST /api/auth/session/refresh': { status: 401, body: { title: 'Invalid refresh token', status: 401 } } });
    renderWithApp(<Who />);
    expect(await screen.findByText('signed out')).toBeInTheDocument();
  });
});
