import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { deliveryStats } from '@/test/delivery';
import type { SentEntry } from './api';
import { DeliveryStatsCard } from './DeliveryStatsCard';
import { adopt } from '@/features/auth/session';

const POLL_MS = 40;
const sent: SentEntry = { id: 'n-7', title: 'Deploy at 5', audience: { type: 'users', user_ids: ['u1', 'u2', 'u3'] }, sent_at: new Date().toISOString() };
const stats = deliveryStats;

function signIn() {
  adopt({ accessToken: fakeJwt(900, 'admin'), expiresAt: Date.now() + 900_000 });
}
const deliveryCalls = (calls: { url: string }[]) => calls.filter((c) => c.url === '/api/notifications/n-7/delivery').length;

describe('DeliveryStatsCard', () => {
  it('follows the delivery while shown, and stops asking once gone', async () => {
    signIn();
    const replies = [
      stats(),
      stats({ delivered_users: 2, delivered_sockets: 2, first_delivered_at: new Date().toISOString(), last_delivered_at: new Date().toISOString() }),
      stats({ delivered_users: 2, delivered_sockets: 3, read_users: 1, clicked_users: 1, undelivered_user_ids: ['u3'] }),
    ];
    let asked = 0;
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'admin', roles: ['admin'] } },
      'GET /api/notifications/n-7/delivery': () => ({ status: 200, body: replies[Math.min(asked++, replies.length - 1)] }),
    });
    const { unmount } = renderWithApp(<DeliveryStatsCard sent={sent} pollMs={POLL_MS} />);
    const card = within(screen.getByRole('region', { name: 'Delivery' }));
    expect(await card.findByText(/of 3 users delivered/)).toBeInTheDocument();
    expect(card.getByTestId('delivered-share')).toHaveTextContent('0%');
    await waitFor(() => expect(card.getByTestId('delivered-share')).toHaveTextContent('67%'));
    expect(card.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '2');
    await waitFor(() => expect(card.getByTestId('stat-clicked-value')).toHaveTextContent('1'));
    expect(card.getByTestId('stat-read-value')).toHaveTextContent('1');
    expect(card.getByTestId('stat-delivered')).toHaveTextContent('3 sockets');
    // the timeout passed: who got nothing
    expect(within(card.getByTestId('undelivered')).getByRole('list', { name: 'Undelivered users' })).toHaveTextContent('u3');
    expect(card.getByTestId('undelivered')).toHaveTextContent('Not delivered to 1 user within the timeout');

    unmount();
    const after = deliveryCalls(calls);
    await new Promise((r) => setTimeout(r, POLL_MS * 5)); // several intervals: nothing more is asked
    expect(deliveryCalls(calls)).toBe(after);
  });

  it('says so when there is no delivery to show, and does not keep asking', async () => {
    signIn();
    const calls = mockApi({
      'GET /api/auth/me': { status: 200, body: { username: 'user1', roles: ['user'] } },
      'GET /api/notifications/n-7/delivery': { status: 404, body: { title: 'Not Found', status: 404, detail: 'no such notification' } },
    });
    renderWithApp(<DeliveryStatsCard sent={sent} pollMs={POLL_MS} />);
    expect(await screen.findByTestId('delivery-error')).toHaveTextContent('No delivery data for this notification.');
    const after = deliveryCalls(calls);
    await new Promise((r) => setTimeout(r, POLL_MS * 5));
    expect(deliveryCalls(calls)).toBe(after);
  });
});
