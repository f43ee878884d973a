import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adopt } from '@/features/auth/session';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { notification } from '@/test/notifications';
import { renderWithApp } from '@/test/render';
import { Bell, POPOVER_ITEMS } from './Bell';

const n = (i: number, read = false) => notification(i, { read });

describe('Bell', () => {
  it('opens a popover of the newest notifications on demand (marking them seen, not read), marks one read there, and closes on Escape', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    let unread = 2;
    let unseen = 2;
    const calls = mockApi({
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: unread, unseen, by_priority: {}, capped: false } }),
      'POST /api/notifications/seen': () => {
        unseen = 0;
        return { status: 200, body: { seen_up_to: 10 } };
      },
      'GET /api/notifications': {
        status: 200,
        body: { items: Array.from({ length: 10 }, (_, i) => n(10 - i, i >= 2)), next_cursor: 'more' },
      },
      'POST /api/notifications/n9/read': () => {
        unread = 1;
        return { status: 204 };
      },
    });
    renderWithApp(<Bell />);
    const bell = await screen.findByRole('button', { name: '2 new notifications' });
    expect(screen.getByTestId('unread-badge')).toHaveTextContent('2');
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    expect(calls.some((c) => c.url === '/api/notifications')).toBe(false); // nothing fetched until it opens

    await userEvent.click(bell);
    const popover = await screen.findByRole('dialog', { name: 'Latest notifications' });
    expect(bell).toHaveAttribute('aria-expanded', 'true');
    expect(bell).toHaveAttribute('aria-controls', popover.id);
    await waitFor(() => expect(within(popover).getAllByRole('listitem')).toHaveLength(POPOVER_ITEMS));
    expect(popover).toHaveFocus();
    expect(within(popover).getAllByRole('listitem')[0]).toHaveTextContent('Notification 10');
    // seen up to the newest it shows: the badge is gone, the two stay unread
    await waitFor(() => expect(screen.queryByTestId('unread-badge')).toBeNull());
    expect(bell).toHaveAccessibleName('No new notifications');
    const seen = () => calls.filter((c) => c.url === '/api/notifications/seen').map((c) => c.body);
    expect(seen()).toEqual([{ up_to: 10 }]);
    expect(within(popover).getAllByRole('listitem')[0]).toHaveAttribute('data-read', 'false');

    await userEvent.click(within(popover).getByRole('button', { name: 'Mark "Notification 9" read from the bell' }));
    await waitFor(() => expect(within(popover).getAllByRole('listitem')[1]).toHaveAttribute('data-read', 'true'));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n9/read');

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'No new notifications' })).toHaveFocus();

    // opened again with nothing new: no call
    await userEvent.click(bell);
    await screen.findByRole('dialog', { name: 'Latest notifications' });
    await userEvent.keyboard('{Escape}');
    expect(seen()).toHaveLength(1);
  });

  it("shows a notification's action buttons in the popover and records a press; Archive takes a row out", async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    const actions = [
      { id: 'approve', label: 'Approve', style: 'primary' as const },
      { id: 'reject', label: 'Reject', style: 'danger' as const },
    ];
    let items = [n(3), notification(2, { actions }), n(1)];
    const calls = mockApi({
      'GET /api/notifications/unread-count': () => ({ status: 200, body: { total: items.length, unseen: 0, by_priority: {}, capped: false } }),
      'GET /api/notifications': () => ({ status: 200, body: { items, next_cursor: null } }),
      'POST /api/notifications/n2/actions/approve': { status: 200, body: { action_id: 'approve', completed_at: new Date().toISOString() } },
      'POST /api/notifications/n3/archive': () => {
        items = items.filter((x) => x.id !== 'n3');
        return { status: 204 };
      },
    });
    renderWithApp(<Bell />);
    await userEvent.click(await screen.findByRole('button', { name: 'No new notifications' }));
    const popover = await screen.findByRole('dialog', { name: 'Latest notifications' });
    await waitFor(() => expect(within(popover).getAllByRole('listitem')).toHaveLength(3));

    await userEvent.click(within(popover).getByRole('button', { name: 'Approve "Notification 2"' }));
    const done = await within(popover).findByTestId('action-done');
    expect(done).toHaveAttribute('data-action-id', 'approve');
    expect(done).toHaveTextContent('Approve');
    expect(within(popover).queryByRole('button', { name: 'Reject "Notification 2"' })).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n2/actions/approve');

    await userEvent.click(within(popover).getByRole('button', { name: 'Archive "Notification 3" from the bell' }));
    await waitFor(() => expect(within(popover).queryByText('Notification 3')).toBeNull());
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain('POST /api/notifications/n3/archive');
  });
});
