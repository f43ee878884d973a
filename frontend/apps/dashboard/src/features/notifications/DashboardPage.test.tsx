import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Notification } from '@notify/client';
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

  it('marks what it shows seen when it opens (the badge clears, the unread count stays), then one read and all read', async () => {
    signIn();
    let unread = 2;
    let unseen = 2;
    const calls = mockApi({
      'GET /api/notifications': { status: 200, body: { items: [n(2), n(1)] } },
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, unseen, by_priority: {}, capped: false } }),
      'POST /api/notifications/seen': () => {
        unseen = 0;
        return { status: 200, body: { seen_up_to: 2 } };
      },
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
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/notifications/seen').map((c) => c.body)).toEqual([{ up_to: 2 }]));
    await waitFor(() => expect(screen.getByRole('button', { name: 'No new notifications' })).toBeInTheDocument());
    expect(screen.getByTestId('unread-summary')).toHaveTextContent('2 unread');
    expect(screen.getByRole('article', { name: 'Unread: Notification 2' })).toHaveAttribute('data-read', 'false');
    await userEvent.click(await screen.findByRole('button', { name: 'Mark "Notification 2" read' }));
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('1 unread'));
    expect(screen.getByRole('article', { name: 'Notification 2' })).toHaveAttribute('data-read', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('All caught up'));
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
      // n1 was seen before: the badge counts what came since
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, unseen: unread - 1, by_priority: { urgent: unread - 1 } } }),
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
    expect(await screen.findByRole('button', { name: '1 new notification, some urgent unread' })).toBeInTheDocument();
    const toast = screen.getAllByTestId('toast').find((t) => t.textContent?.includes('Urgent: Server down'));
    expect(toast).toHaveAttribute('data-variant', 'urgent');

    // read and deleted in another tab: this one follows
    act(() => handleLiveEvent(queryClient, { type: 'notification_read', notification_id: 'n5', seq: 6 }));
    await waitFor(() => expect(screen.getByRole('article', { name: 'Server down' })).toHaveAttribute('data-read', 'true'));
    act(() => handleLiveEvent(queryClient, { type: 'notification_deleted', notification_id: 'n1', seq: 7 }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /Notification 1/ })).toBeNull());
  });

  it('archives a row (out of the inbox and its count), lists it under Archived, and takes it back from there', async () => {
    signIn();
    const archived = new Set<string>();
    const all = [n(2), n(1)];
    const calls = mockApi({
      'GET /api/notifications': (call) => ({
        status: 200,
        body: { items: all.filter((x) => archived.has(x.id as string) === call.query.includes('archived=true')) },
      }),
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: 2 - archived.size, unseen: 0 } }),
      'POST /api/notifications/n2/archive': () => (archived.add('n2'), { status: 204 }),
      'POST /api/notifications/n2/unarchive': () => (archived.delete('n2'), { status: 204 }),
    });
    renderWithApp(<DashboardPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Archive "Notification 2"' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /Notification 2/ })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('1 unread'));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n2/archive');
    expect(calls.some((c) => c.url === '/api/notifications/seen')).toBe(false); // nothing unseen: no call

    await userEvent.click(screen.getByRole('button', { name: 'Archived' }));
    expect(screen.getByRole('button', { name: 'Archived' })).toHaveAttribute('aria-pressed', 'true');
    const list = await screen.findByRole('list', { name: 'Archived notifications' });
    expect(within(list).getAllByRole('article')).toHaveLength(1);
    expect(calls.filter((c) => c.url === '/api/notifications').at(-1)?.query).toBe('limit=20&archived=true');
    expect(screen.queryByRole('checkbox', { name: 'Unread only' })).toBeNull();

    await userEvent.click(within(list).getByRole('button', { name: 'Unarchive "Notification 2"' }));
    expect(await screen.findByText('Nothing archived')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Inbox' }));
    expect(await screen.findByRole('article', { name: /Notification 2/ })).toBeInTheDocument();
  });

  it('snoozes a row from its menu (out of the inbox and its count), and shows it again, unread, when it resurfaces', async () => {
    signIn();
    const snoozed = new Map<string, string>();
    const all = [n(2), n(1)];
    const calls = mockApi({
      'GET /api/notifications': () => ({ status: 200, body: { items: all.filter((x) => !snoozed.has(x.id as string)) } }),
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: 2 - snoozed.size, unseen: 0 } }),
      'POST /api/notifications/n2/snooze': (call) => (snoozed.set('n2', (call.body as { until: string }).until), { status: 204 }),
    });
    const { queryClient } = renderWithApp(<DashboardPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Snooze "Notification 2"' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Tomorrow, 9:00' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /Notification 2/ })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('1 unread'));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n2/snooze');
    const until = new Date(snoozed.get('n2') ?? '');
    expect(until.getHours()).toBe(9);
    expect(until.getTime()).toBeGreaterThan(Date.now());

    // its time came: pushed again, resurfaced
    snoozed.delete('n2');
    act(() => handleLiveEvent(queryClient, { type: 'notification', id: 'n2', seq: 9, resurfaced: true, payload: n(2, { seq: 9 }) }));
    await screen.findByRole('article', { name: /Notification 2/ });
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('2 unread'));
    expect(await screen.findByText('Back: Notification 2')).toBeInTheDocument(); // its toast says it is back
  });

  it("follows another tab's archive, unarchive and all_seen through the live frames", async () => {
    signIn();
    const archived = new Set<string>();
    let unseen = 1;
    const all = [n(3), n(2), n(1)];
    mockApi({
      'GET /api/notifications': (call) => ({
        status: 200,
        body: { items: all.filter((x) => archived.has(x.id as string) === call.query.includes('archived=true')) },
      }),
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: 3 - archived.size, unseen } }),
      'POST /api/notifications/seen': { status: 200, body: { seen_up_to: 3 } }, // another tab's new one arrives meanwhile
    });
    const { queryClient } = renderWithApp(
      <>
        <Bell />
        <DashboardPage />
      </>,
    );
    await screen.findByRole('article', { name: /Notification 3/ });
    await screen.findByRole('button', { name: '1 new notification' });

    // another tab opened its bell
    unseen = 0;
    act(() => handleLiveEvent(queryClient, { type: 'all_seen', seen_up_to: 3, seq: 4 }));
    await screen.findByRole('button', { name: 'No new notifications' });
    expect(screen.getByTestId('unread-summary')).toHaveTextContent('3 unread');

    archived.add('n1');
    act(() => handleLiveEvent(queryClient, { type: 'notification_archived', notification_id: 'n1', seq: 5 }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /Notification 1/ })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('2 unread'));
    await userEvent.click(screen.getByRole('button', { name: 'Archived' }));
    const list = await screen.findByRole('list', { name: 'Archived notifications' });
    await within(list).findByRole('article', { name: /Notification 1/ });

    archived.add('n3');
    act(() => handleLiveEvent(queryClient, { type: 'notification_archived', notification_id: 'n3', seq: 6 }));
    await within(list).findByRole('article', { name: /Notification 3/ }); // the archived view reloaded
    archived.delete('n1');
    act(() => handleLiveEvent(queryClient, { type: 'notification_unarchived', notification_id: 'n1', seq: 7 }));
    await waitFor(() => expect(within(list).queryByRole('article', { name: /Notification 1/ })).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Inbox' }));
    await screen.findByRole('article', { name: /Notification 1/ });
    expect(screen.queryByRole('article', { name: /Notification 3/ })).toBeNull();
  });

  it("completes a notification's action from its buttons, follows another tab's completion live, and shows a conflict with the one chosen before", async () => {
    signIn();
    const actions = [
      { id: 'approve', label: 'Approve', style: 'primary' },
      { id: 'reject', label: 'Reject', style: 'danger' },
    ] as const satisfies Notification['actions'];
    const completedAt = new Date(Date.now() - 2 * 60_000).toISOString();
    // the server's inbox: n3 is completed elsewhere (reject) before this tab presses anything on it
    let n3Done = false;
    let release = () => undefined as void;
    const answered = new Promise<void>((r) => (release = r));
    const calls = mockApi({
      'GET /api/notifications': () => ({
        status: 200,
        body: {
          items: [
            n(3, { title: 'Expense 3', actions, ...(n3Done ? { completed_action: { action_id: 'reject', completed_at: completedAt } } : {}) }),
            n(2, { title: 'Expense 2', actions }),
            n(1, { title: 'Expense 1', actions }),
          ],
        },
      }),
      'GET /api/notifications/unread-count': { status: 200, body: { total: 3 } },
      'POST /api/notifications/n1/actions/approve': () => answered.then(() => ({ status: 200, body: { action_id: 'approve', completed_at: new Date().toISOString() } })),
      'POST /api/notifications/n3/actions/approve': () => {
        n3Done = true;
        return { status: 409, body: { status: 409, title: 'Conflict', detail: 'Another action of it was completed', action_id: 'reject' } };
      },
    });
    const { queryClient } = renderWithApp(<DashboardPage />);
    const row = async (title: string) => screen.findByRole('article', { name: `Unread: ${title}` });
    const approve = within(await row('Expense 1')).getByRole('button', { name: 'Approve "Expense 1"' });
    expect(approve.className).toContain('bg-primary');
    expect(within(await row('Expense 1')).getByRole('button', { name: 'Reject "Expense 1"' }).className).toContain('bg-destructive');

    // pressed from the keyboard: both disabled until the server answers, then which one and when, the buttons gone
    approve.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n1/actions/approve'));
    expect(approve).toBeDisabled();
    expect(approve).toHaveAttribute('aria-busy', 'true');
    expect(within(await row('Expense 1')).getByRole('button', { name: 'Reject "Expense 1"' })).toBeDisabled();
    release();
    expect(await within(await row('Expense 1')).findByRole('status')).toHaveTextContent('Done: Approve·just now');
    expect(within(await row('Expense 1')).queryByRole('button', { name: /Approve|Reject/ })).toBeNull();

    // another tab completed Expense 2: the frame alone shows it
    act(() =>
      handleLiveEvent(queryClient, { type: 'action_completed', notification_id: 'n2', action_id: 'reject', completed_at: completedAt, seq: 8 }),
    );
    await waitFor(async () => expect(within(await row('Expense 2')).getByTestId('action-done')).toHaveTextContent('Done: Reject·2 minutes ago'));
    expect(within(await row('Expense 2')).queryByRole('button', { name: /Approve|Reject/ })).toBeNull();

    // Expense 3 was answered on another device this tab did not hear of: the 409 is told, the row shows that one
    await userEvent.click(within(await row('Expense 3')).getByRole('button', { name: 'Approve "Expense 3"' }));
    expect(await within(await row('Expense 3')).findByRole('alert')).toHaveTextContent('Already answered: “Reject” was chosen before.');
    await waitFor(async () => expect(within(await row('Expense 3')).getByTestId('action-done')).toHaveTextContent('Done: Reject'));
    expect(within(await row('Expense 3')).queryByRole('button', { name: /Approve|Reject/ })).toBeNull();
  });
});
