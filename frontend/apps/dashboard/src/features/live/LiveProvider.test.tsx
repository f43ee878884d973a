import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { FakeSocket } from '../../../../../packages/client/test/fake-socket';
import { renderWithApp } from '@/test/render';
import { useUnreadCount } from '@/features/notifications/hooks';
import { TopicsPage } from '@/features/topics/TopicsPage';
import { LiveProvider, useLive } from './LiveProvider';
import { adopt } from '@/features/auth/session';

function OpenLink() {
  const { clicked } = useLive();
  return <button onClick={() => clicked('n1')}>open n1</button>;
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
});
afterEach(() => vi.unstubAllGlobals());

/** The provider with a link to open, once its socket exists: that socket, as the gateway sees it. */
async function renderLive(): Promise<FakeSocket> {
  renderWithApp(
    <LiveProvider>
      <OpenLink />
    </LiveProvider>,
  );
  await waitFor(() => expect(FakeSocket.all).toHaveLength(1));
  return FakeSocket.latest();
}

describe('LiveProvider clicks', () => {
  it('reports a click over the socket while it is open, else over REST', async () => {
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/notifications/n1/clicked': { status: 204 },
    });
    const clicks = () => calls.filter((c) => c.method === 'POST' && c.url === '/api/notifications/n1/clicked').length;
    const gateway = await renderLive();

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

describe('LiveProvider identity changes', () => {
  it('refreshes the token when an admin changed the account, hands it to the socket and reloads the inbox', async () => {
    const fresh = fakeJwt(900);
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'POST /api/auth/session/refresh': { status: 200, body: { access_token: fresh, token_type: 'Bearer', expires_in: 900 } },
    });
    const gateway = await renderLive();
    act(() => gateway.open());

    act(() => gateway.push({ type: 'identity_changed', company: 'company_b', roles: ['user'] }));

    await waitFor(() => expect(gateway.sent).toContainEqual({ type: 'refresh_token', ref: 'refresh', token: fresh }));
    expect(calls.filter((c) => c.url === '/api/auth/session/refresh')).toHaveLength(1);
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/auth/me').length).toBeGreaterThan(1));
  });
});

function UnreadBadge() {
  const count = useUnreadCount();
  return <span data-testid="unread">{count.data?.total ?? '…'}</span>;
}

describe('LiveProvider topics', () => {
  it('shows a topic followed or unfollowed in another tab without a reload, and reloads the counts when one is unfollowed', async () => {
    const subscription = (topic: string, since_seq: number) => ({
      topic,
      company: 'company_a',
      user_id: 'u-1',
      since_seq,
      subscribed_at: new Date().toISOString(),
    });
    let following = [subscription('project-42', 10)];
    let unread = 3;
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { id: 'u-1', username: 'user1', company: 'company_a', roles: ['user'] } },
      'GET /api/topics': () => ({ status: 200, body: { items: following } }),
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, by_priority: {}, capped: false, unseen: unread } }),
    });
    renderWithApp(
      <LiveProvider>
        <TopicsPage />
        <UnreadBadge />
      </LiveProvider>,
    );
    await waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const gateway = FakeSocket.latest();
    act(() => gateway.open());
    const topics = async () => (await screen.findAllByRole('listitem')).map((li) => li.getAttribute('data-topic'));
    await waitFor(async () => expect(await topics()).toEqual(['project-42']));
    await waitFor(() => expect(screen.getByTestId('unread')).toHaveTextContent('3'));

    // another tab followed invoice-1001: this one's Following list shows it
    following = [subscription('invoice-1001', 20), ...following];
    act(() => gateway.push({ type: 'subscription_changed', seq: 20, topic: 'invoice-1001', subscribed: true }));
    await waitFor(async () => expect(await topics()).toEqual(['invoice-1001', 'project-42']));

    // and unfollowed project-42: gone from the list, and its notifications from the inbox's counts
    following = following.filter((s) => s.topic !== 'project-42');
    unread = 1;
    act(() => gateway.push({ type: 'subscription_changed', seq: 21, topic: 'project-42', subscribed: false }));
    await waitFor(async () => expect(await topics()).toEqual(['invoice-1001']));
    await waitFor(() => expect(screen.getByTestId('unread')).toHaveTextContent('1'));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]); // nothing asked of the server but reads
  });
});
