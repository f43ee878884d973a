import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '@notify/client';
import { LiveContext, type Live } from '@/features/live/LiveProvider';
import { mockApi } from '@/test/api-mock';
import { NotificationItem } from './NotificationItem';

const base: Notification = {
  id: 'n1',
  seq: 1,
  audience: { type: 'user' },
  data: {},
  expires_at: null,
  title: 'Standup moved',
  message: 'Daily standup is at 10:30 today',
  type: 'meeting',
  priority: 'high',
  link: '/meetings/42',
  sender: 'admin',
  created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  read: false,
};

// jsdom cannot navigate: the test only needs what happens before the browser follows the link
const noNavigation = (e: Event) => e.preventDefault();
beforeEach(() => document.addEventListener('click', noNavigation));
afterEach(() => document.removeEventListener('click', noNavigation));

describe('NotificationItem', () => {
  it('shows priority as a word and a colour, type, message, sender, relative time and link', () => {
    render(<NotificationItem notification={base} />);
    const item = screen.getByRole('article', { name: /Standup moved/ });
    expect(item).toHaveTextContent('High');
    expect(item).toHaveTextContent('Meeting');
    expect(item).toHaveTextContent('Daily standup is at 10:30 today');
    expect(item).toHaveTextContent('from admin');
    expect(item).toHaveTextContent('5 minutes ago');
    expect(screen.getByRole('link', { name: /Open/ })).toHaveAttribute('href', '/meetings/42');
    expect(item).toHaveAccessibleName('Unread: Standup moved');
  });

  it('makes an urgent one stand out, and gives a normal one no priority label', () => {
    const { unmount } = render(<NotificationItem notification={{ ...base, priority: 'urgent' }} />);
    const item = screen.getByRole('article');
    expect(item).toHaveAttribute('data-priority', 'urgent');
    expect(item.querySelector('[data-priority="urgent"]:not(article)')).toHaveTextContent('Urgent');
    unmount();
    render(<NotificationItem notification={{ ...base, priority: 'normal' }} />);
    expect(screen.getByRole('article')).not.toHaveTextContent(/normal/i);
  });

  it('shows the unread dot beside the title, never alone, and the sender by name when known', () => {
    render(<NotificationItem notification={base} senderName="Ada Admin" />);
    const item = screen.getByRole('article');
    expect(within(item).getByTestId('unread-dot').className).toContain('bg-primary');
    expect(within(item).getByTestId('sender')).toHaveTextContent('from Ada Admin');
  });

  it('marks read and deletes from the keyboard', async () => {
    const onMarkRead = vi.fn();
    const onDelete = vi.fn();
    render(<NotificationItem notification={base} onMarkRead={onMarkRead} onDelete={onDelete} />);
    screen.getByRole('button', { name: 'Mark "Standup moved" read' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(onMarkRead).toHaveBeenCalledWith(base);
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    expect(onDelete).toHaveBeenCalledWith(base);
  });

  it('offers no "mark read" once read', () => {
    render(<NotificationItem notification={{ ...base, read: true }} />);
    expect(screen.queryByRole('button', { name: /Mark/ })).toBeNull();
    expect(screen.getByRole('article')).toHaveAccessibleName('Standup moved');
  });
});

describe('NotificationItem link', () => {
  it('reports the click over the live connection and marks the notification read', async () => {
    const live: Live = { status: 'connected', noteSeq: vi.fn(), clicked: vi.fn() };
    const onMarkRead = vi.fn();
    render(
      <LiveContext.Provider value={live}>
        <NotificationItem notification={base} onMarkRead={onMarkRead} />
      </LiveContext.Provider>,
    );
    await userEvent.click(screen.getByRole('link', { name: /Open/ }));
    expect(live.clicked).toHaveBeenCalledWith('n1');
    expect(onMarkRead).toHaveBeenCalledWith(base);
  });

  it('reports the click over REST when there is no live connection', async () => {
    const calls = mockApi({ 'POST /api/notifications/n1/clicked': { status: 204 } });
    render(<NotificationItem notification={{ ...base, read: true }} />);
    await userEvent.click(screen.getByRole('link', { name: /Open/ }));
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/notifications/n1/clicked']));
  });

  it('reports nothing from the compose preview', async () => {
    const live: Live = { status: 'connected', noteSeq: vi.fn(), clicked: vi.fn() };
    render(
      <LiveContext.Provider value={live}>
        <NotificationItem notification={base} preview />
      </LiveContext.Provider>,
    );
    await userEvent.click(screen.getByRole('link', { name: /Open/ }));
    expect(live.clicked).not.toHaveBeenCalled();
  });
});
