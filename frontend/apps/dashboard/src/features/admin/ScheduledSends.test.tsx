import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adopt } from '@/features/auth/session';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { pendingSend } from '../../../../../packages/client/test/sends';
import { ScheduledSends } from './ScheduledSends';

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('ScheduledSends', () => {
  it('lists the pending sends, soonest first, with their audience and time; Cancel removes one', async () => {
    adopt({ accessToken: fakeJwt(900, 'admin'), expiresAt: Date.now() + 900_000 });
    let pending = [
      pendingSend('s-1', 'Standup moved', inMs(3600_000)),
      pendingSend('s-2', 'Quarterly review', inMs(2 * 86_400_000), { type: 'users', user_ids: ['u1', 'u2'] }),
    ];
    const calls = mockApi({
      'GET /api/notifications/scheduled': () => ({ status: 200, body: pending }),
      'DELETE /api/notifications/s-1': () => {
        pending = pending.filter((s) => s.id !== 's-1');
        return { status: 204 };
      },
    });
    renderWithApp(<ScheduledSends />);
    const region = within(await screen.findByRole('region', { name: 'Scheduled' }));
    const rows = region.getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^Standup moved.*company company_a · .+ · in 1 hour/),
      expect.stringMatching(/^Quarterly review.*2 users · .+ · in 2 days/),
    ]);
    expect(rows[0]?.querySelector('time')).toHaveAttribute('dateTime', pending[0]?.send_at);

    // by keyboard: Tab to the first Cancel, Enter
    const cancel = region.getByRole('button', { name: 'Cancel "Standup moved"' });
    cancel.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(region.queryByText('Standup moved')).toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent('Cancelled “Standup moved”.');
    expect(region.getAllByRole('listitem')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/notifications/s-1']);
  });

  it('says plainly when a send already went out (409), and refreshes the list', async () => {
    adopt({ accessToken: fakeJwt(900, 'admin'), expiresAt: Date.now() + 900_000 });
    let pending = [pendingSend('s-1', 'Standup moved', inMs(3600_000))];
    const calls = mockApi({
      'GET /api/notifications/scheduled': () => ({ status: 200, body: pending }),
      'DELETE /api/notifications/s-1': () => {
        pending = []; // it went out meanwhile
        return { status: 409, body: { status: 409, title: 'Conflict', detail: 'The notification was already sent' } };
      },
    });
    renderWithApp(<ScheduledSends />);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel "Standup moved"' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('“Standup moved” already went out: a sent notification cannot be cancelled.');
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Scheduled sends' })).toBeNull());
    expect(calls.filter((c) => c.url === '/api/notifications/scheduled').length).toBe(2); // the list, and once more after the 409
  });

  it('looks again once the soonest send is due, so a sent one leaves the list', async () => {
    adopt({ accessToken: fakeJwt(900, 'admin'), expiresAt: Date.now() + 900_000 });
    const dueAt = Date.now() + 300;
    mockApi({
      // the service sends it when due: from then on it is no longer pending
      'GET /api/notifications/scheduled': () => ({
        status: 200,
        body: Date.now() < dueAt ? [pendingSend('s-1', 'Soon', new Date(dueAt).toISOString())] : [],
      }),
    });
    renderWithApp(<ScheduledSends />);
    expect(await screen.findByText('Soon')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Soon')).toBeNull(), { timeout: 5_000 });
  });
});
