import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { adopt, load, login, logout, refresh, restore, validToken } from './session';

function signedIn(accessInSeconds: number) {
  adopt({ accessToken: fakeJwt(accessInSeconds), expiresAt: Date.now() + accessInSeconds * 1000 });
}

describe('session', () => {
  it('signs in through the cookie session and keeps the access token in memory only, no token in storage', async () => {
    const access = fakeJwt(900);
    const calls = mockApi({ 'POST /api/auth/session': { status: 200, body: { access_token: access, expires_in: 900 } } });
    await login('user1', 'wkwkwk');
    expect(load()).toMatchObject({ accessToken: access });
    expect(calls[0]).toMatchObject({ url: '/api/auth/session', body: { username: 'user1', password: 'wkwkwk' } });
    expect(calls[0]?.headers['x-notify-csrf']).toBe('1');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('restores a reloaded tab from the session cookie, and stays signed out without one', async () => {
    const access = fakeJwt(900);
    mockApi({ 'POST /api/auth/session/refresh': { status: 200, body: { access_token: access, expires_in: 900 } } });
    expect(await restore()).toMatchObject({ accessToken: access });

    adopt(null);
    mockApi({ 'POST /api/auth/session/refresh': { status: 401, body: { title: 'Invalid refresh token', status: 401 } } });
    expect(await restore()).toBeNull();
    expect(load()).toBeNull();
  });

  it('rotates the session cookie once for concurrent callers (a second use would revoke the session)', async () => {
    signedIn(10); // inside the refresh margin
    const calls = mockApi({
      'POST /api/auth/session/refresh': { status: 200, body: { access_token: fakeJwt(900, 'next'), expires_in: 900 } },
    });
    const [a, b, c] = await Promise.all([validToken(), validToken(), refresh()]);
    expect(calls.filter((call) => call.url === '/api/auth/session/refresh')).toHaveLength(1);
    expect(calls[0]?.headers['x-notify-csrf']).toBe('1');
    expect(a).toBe(b);
    expect(c.accessToken).toBe(a);
  });

  it('answers the token this tab already holds instead of rotating again for a stale caller', async () => {
    signedIn(900);
    const calls = mockApi({});
    const session = await refresh('an-older-token');
    expect(session.accessToken).toBe(load()?.accessToken);
    expect(calls).toHaveLength(0);
  });

  it('signs out when the session cookie is refused', async () => {
    signedIn(10);
    mockApi({ 'POST /api/auth/session/refresh': { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    await expect(validToken()).rejects.toThrow();
    expect(load()).toBeNull();
  });

  it('ends the session on the server when signing out', async () => {
    signedIn(900);
    const calls = mockApi({ 'DELETE /api/auth/session': { status: 204 } });
    await logout();
    expect(load()).toBeNull();
    expect(calls).toEqual([expect.objectContaining({ method: 'DELETE', url: '/api/auth/session' })]);
  });
});
