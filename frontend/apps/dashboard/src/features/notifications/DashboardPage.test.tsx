import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { handleLiveEvent } from '@/features/live/LiveProvider';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { notification } from '@/test/notifications';
import { renderWithApp } from '@/test/render';
import { Bell } from './Bell';
import { DashboardPage } from './DashboardPage';
import { adopt, load } from '@/features/auth/session';

const n = notification;

function signIn() {
  adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
}

describe('DashboardPage', () => {
  it('lists newest first and loads the next page on demand', async () => {
    signIn();
    const calls = mockApi({
      'GET /api/notifications': (call) =>
        call.query.includes('cursor=c2')
          ? { status: 200, body: { items: [n(1)], next_cursor: null } }
          : { status: 200, body: { items: [n(3), n(2)], next_cursor: 'c2' } },
      'GET /api/notifications/unread-count': { status: 200, body: { total: 3, by_priority: { urgent: 0 }, capped: false } },
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
    });
    renderWithApp(<DashboardPage />);
    const list = await screen.findByRole('list', { name: 'Notifications' });
    expect(within(list).getAllByRole('article').map((a) => a.getAttribute('aria-labelledby'))).toEqual(['n-n3-title', 'n-n2-title']);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list).getAllByRole('article')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(calls.some((c) => c.headers['authorization'] === `Bearer ${load()?.accessToken}`)).toBe(true);
  });

  it('shows an empty state, and an error state with a retry', async () => {
    signIn();
    let fail = true;
    mockApi({
      'GET /api/notifications': () => (fail ? { status: 503, body: { title: 'Service Unavailable', status: 503 } } : { status: 200, body: { items: [] } }),
      'GET /api/notifications/unread-count': { status: 200, body: { total: 0 } },
    });
    renderWithApp(<DashboardPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Your notifications could not be loaded.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No notifications yet')).toBeInTheDocument();
  });

  it('asks the server for several types and priorities at once (the repeatable parameters)', async () => {
    signIn();
    const calls = mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(1, { type: 'alert' })] } },
      'GET /api/notifications/unread-count': { status: 200, body: { total: 1 } },
    });
    renderWithApp(<DashboardPage />);
    await screen.findByRole('list', { name: 'Notifications' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Unread only' }));
    const types = screen.getByTestId('filter-type');
    await userEvent.click(within(types).getByText('Type:'));
    // a type this inbox has shown is offered next to the known ones
    await userEvent.click(within(types).getByRole('checkbox', { name: 'Alert' }));
    await userEvent.click(within(types).getByRole('checkbox', { name: 'Meetings' }));
    expect(types).toHaveTextContent('Type: 2 selected');
    const priorities = screen.getByTestId('filter-priority');
    await userEvent.click(within(priorities).getByText('Priority:'));
    await userEvent.click(within(priorities).getByRole('checkbox', { name: 'High' }));
    await userEvent.click(within(priorities).getByRole('checkbox', { name: 'Urgent' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.url === '/api/notifications').at(-1)?.query).toBe(
        'limit=20&unread=true&type=alert&type=meeting&priority=high&priority=urgent',
      ),
    );
  });

  it("groups today's and earlier ones, and names senders as the directory does", async () => {
    signIn();
    const lastWeek = new Date(Date.now() - 7 * 24 * 3600_000).toISOString();
    mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(2, { sender: 'admin' }), n(1, { sender: 'robot', created_at: lastWeek })] } },
      'GET /api/notifications/unread-count': { status: 200, body: { total: 2 } },
      'GET /api/auth/users': { status: 200, body: { users: [{ id: 'a', username: 'admin', display_name: 'Ada Admin' }] } },
    });
    renderWithApp(<DashboardPage />);
    const today = await screen.findByRole('list', { name: 'Today' });
    const earlier = screen.getByRole('list', { name: 'Earlier' });
    expect(within(today).getByRole('article')).toHaveAccessibleName('Unread: Notification 2');
    expect(within(earlier).getByRole('article')).toHaveAccessibleName('Unread: Notification 1');
    await waitFor(() => expect(within(today).getByTestId('sender')).toHaveTextContent('from Ada Admin'));
    expect(within(earlier).getByTestId('sender')).toHaveTextContent('from robot'); // not in the reader's directory
  });

  it('marks one read and all read, and the badge follows', async () => {
    signIn();
    let unread = 2;
    const calls = mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(2), n(1)] } },
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, by_priority: {}, capped: false } }),
      'POST /api/notifications/n2/read': () => {
        unread = 1;
        return { status: 204 };
      },
      'POST /api/notifications/read-all': () => {
        unread = 0;
        return { status: 200, body: { read_up_to: 2 } };
      },
    });
    renderWithApp(
      <>
        <Bell />
        <DashboardPage />
      </>,
    );
    expect(await screen.findByRole('button', { name: '2 unread notifications' })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Mark "Notification 2" read' }));
    expect(await screen.findByRole('button', { name: '1 unread notifications' })).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'Notification 2' })).toHaveAttribute('data-read', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(await screen.findByRole('button', { name: 'No unread notifications' })).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'Notification 1' })).toHaveAttribute('data-read', 'true');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/read-all');
  });

  it('deletes with an undo window: undone, nothing is deleted on the server', async () => {
    signIn();
    const calls = mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(1)] } },
      'GET /api/notifications/unread-count': { status: 200, body: { total: 1 } },
      'DELETE /api/notifications/n1': { status: 204 },
    });
    renderWithApp(<DashboardPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete "Notification 1"' }));
    expect(screen.queryByRole('article', { name: /Notification 1/ })).toBeNull();
    await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(await screen.findByRole('article', { name: /Notification 1/ })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('shows a live notification at the top with a toast; an urgent toast stays', async () => {
    signIn();
    let unread = 1;
    mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(1)] } },
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, by_priority: { urgent: unread - 1 } } }),
    });
    const { queryClient } = renderWithApp(
      <>
        <Bell />
        <DashboardPage />
      </>,
    );
    await screen.findByRole('list', { name: 'Notifications' });
    unread = 2;
    const urgent = n(5, { title: 'Server down', priority: 'urgent' });
    act(() => handleLiveEvent(queryClient, { type: 'notification', id: 'n5', seq: 5, payload: urgent }));
    act(() => handleLiveEvent(queryClient, { type: 'notification', id: 'n5', seq: 5, payload: urgent })); // replayed by a resume
    await waitFor(() =>
      expect(screen.getAllByRole('article').map((a) => a.getAttribute('aria-labelledby'))).toEqual(['n-n5-title', 'n-n1-title']),
    );
    expect(await screen.findByRole('button', { name: '2 unread notifications, some urgent' })).toBeInTheDocument();
    const toast = screen.getAllByTestId('toast').find((t) => t.textContent?.includes('Urgent: Server down'));
    expect(toast).toHaveAttribute('data-variant', 'urgent');

    // read and deleted in another tab: this one follows
    act(() => handleLiveEvent(queryClient, { type: 'notification_read', notification_id: 'n5', seq: 6 }));
    await waitFor(() => expect(screen.getByRole('article', { name: 'Server down' })).toHaveAttribute('data-read', 'true'));
    act(() => handleLiveEvent(queryClient, { type: 'notification_deleted', notification_id: 'n1', seq: 7 }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /Notification 1/ })).toBeNull());
  });
});
