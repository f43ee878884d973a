import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { FakeSocket } from '@/test/fake-socket';
import { renderWithApp } from '@/test/render';
import { LiveProvider, useLive } from './LiveProvider';

function OpenLink() {
  const { clicked } = useLive();
  return <button onClick={() => clicked('n1')}>open n1</button>;
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  localStorage.setItem('notify.session', JSON.stringify({ accessToken: fakeJwt(900), refreshToken: 'r', expiresAt: Date.now() + 900_000 }));
});
afterEach(() => vi.unstubAllGlobals());

describe('LiveProvider clicks', () => {
  it('reports a click over the socket while it is open, else over REST', async () => {
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/notifications/n1/clicked': { status: 204 },
    });
    const clicks = () => calls.filter((c) => c.method === 'POST' && c.url === '/api/notifications/n1/clicked').length;
    renderWithApp(
      <LiveProvider>
        <OpenLink />
      </LiveProvider>,
    );
    await waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const gateway = FakeSocket.latest();

    await userEvent.click(screen.getByRole('button', { name: 'open n1' })); // not open yet
    await waitFor(() => expect(clicks()).toBe(1));

    act(() => gateway.open());
    await userEvent.click(screen.getByRole('button', { name: 'open n1' }));
    expect(gateway.sent).toContainEqual({ type: 'clicked', ref: 'clicked-1', id: 'n1' });
    expect(clicks()).toBe(1);

    // the store was down behind the gateway: the click goes over REST after all
    act(() => gateway.push({ type: 'error', ref: 'clicked-1', code: 'unavailable', message: 'try later' }));
    await waitFor(() => expect(clicks()).toBe(2));
  });
});
