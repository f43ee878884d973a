import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { load, login, logout, refresh, validToken } from './session';

function signedIn(accessInSeconds: number) {
  localStorage.setItem(
    'notify.session',
    JSON.stringify({ accessToken: fakeJwt(accessInSeconds), refreshToken: 'r1', expiresAt: Date.now() + accessInSeconds * 1000 }),
  );
}

describe('session', () => {
  it('keeps the session after a login so that a reload starts signed in', async () => {
    const access = fakeJwt(900);
    mockApi({ 'POST /api/auth/login': { status: 200, body: { access_token: access, refresh_token: 'r1', expires_in: 900 } } });
    await login('user1', 'wkwkwk');
    expect(load()).toMatchObject({ accessToken: access, refreshToken: 'r1' });
  });

  it('rotates the refresh token once for concurrent callers (a second use would revoke the session)', async () => {
    signedIn(10); // inside the refresh margin
    const calls = mockApi({
      'POST /api/auth/refresh': { status: 200, body: { access_token: fakeJwt(900), refresh_token: 'r2', expires_in: 900 } },
    });
    const [a, b, c] = await Promise.all([validToken(), validToken(), refresh()]);
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    expect(calls[0]?.body).toEqual({ refresh_token: 'r1' });
    expect(a).toBe(b);
    expect(c.refreshToken).toBe('r2');
  });

  it('adopts tokens another tab refreshed instead of replaying the old refresh token', async () => {
    signedIn(900);
    const stale = load()?.accessToken;
    const fresh = fakeJwt(900, 'same-user-new-token');
    // another tab rotated meanwhile (it shares localStorage)
    localStorage.setItem('notify.session', JSON.stringify({ accessToken: fresh, refreshToken: 'r2', expiresAt: Date.now() + 900_000 }));
    const calls = mockApi({});
    const session = await refresh(stale);
    expect(session.accessToken).toBe(fresh);
    expect(calls).toHaveLength(0);
  });

  it('signs out when the refresh token is refused', async () => {
    signedIn(10);
    mockApi({ 'POST /api/auth/refresh': { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    await expect(validToken()).rejects.toThrow();
    expect(load()).toBeNull();
  });

  it('revokes the session on the server when signing out', async () => {
    signedIn(900);
    const calls = mockApi({ 'POST /api/auth/logout': { status: 204 } });
    await logout();
    expect(load()).toBeNull();
    expect(calls).toEqual([expect.objectContaining({ url: '/api/auth/logout', body: { refresh_token: 'r1' } })]);
  });
});
