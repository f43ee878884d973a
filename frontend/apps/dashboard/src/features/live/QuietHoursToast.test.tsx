import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { FakeSocket } from '../../../../../packages/client/test/fake-socket';
import { renderWithApp } from '@/test/render';
import { LiveProvider } from './LiveProvider';
import { adopt } from '@/features/auth/session';

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
});
afterEach(() => vi.unstubAllGlobals());

const frame = (id: string, seq: number, title: string, extra: object = {}) => ({
  id,
  type: 'notification',
  seq,
  ...extra,
  payload: { id, title, message: `about ${title}`, type: 'info', priority: 'normal', read: false, created_at: new Date().toISOString() },
});

describe('LiveProvider in quiet hours', () => {
  it('shows no toast for a silent notification, and one for the next that is not silent', async () => {
    mockApi({ 'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } } });
    renderWithApp(
      <LiveProvider>
        <span />
      </LiveProvider>,
    );
    await waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const gateway = FakeSocket.latest();
    act(() => gateway.open());

    act(() => gateway.push(frame('q1', 1, 'Pushed in quiet hours', { silent: true })));
    act(() => gateway.push(frame('l1', 2, 'Pushed out of them')));

    expect(await screen.findByText('Pushed out of them')).toBeTruthy();
    expect(screen.queryByText('Pushed in quiet hours')).toBeNull();
    // both were delivered: the gateway gets its ack for the silent one too
    await waitFor(() =>
      expect(gateway.sent.flatMap((f) => ((f as { type?: string }).type === 'ack' ? ((f as { ids: string[] }).ids) : []))).toContain('q1'),
    );
  });
});
