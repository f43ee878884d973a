import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Notification } from '@/api/types';
import { NotificationItem } from './NotificationItem';

const base: Notification = {
  id: 'n1',
  seq: 1,
  title: 'Standup moved',
  message: 'Daily standup is at 10:30 today',
  type: 'meeting',
  priority: 'high',
  link: '/meetings/42',
  sender: 'admin',
  created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  read: false,
};

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

  it('makes an urgent one stand out', () => {
    render(<NotificationItem notification={{ ...base, priority: 'urgent' }} />);
    const item = screen.getByRole('article');
    expect(item).toHaveAttribute('data-priority', 'urgent');
    expect(item.className).toContain('border-red-600');
    expect(item).toHaveTextContent('Urgent');
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
