import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ScheduledSends } from '../src';
import { mount } from './mount';
import { pendingSend as pending } from '../../client/test/sends';

// The sender's pending scheduled sends (issue 25) in an embedding app, against the test server's
// GET /api/notifications/scheduled and DELETE /api/notifications/{id} (test/server.ts).

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('<ScheduledSends/>', () => {
  it('lists the pending sends soonest first with audience and time; Cancel removes one and says so; a send due leaves on time', async () => {
    const { api } = await mount(<ScheduledSends />, {
      prepare: (api) =>
        api.scheduled.push(
          pending('s-2', 'Quarterly review', inMs(2 * 86_400_000), { type: 'users', user_ids: ['u1', 'u2'] }),
          pending('s-1', 'Standup moved', inMs(3600_000)),
          pending('s-3', 'Soon', inMs(2_500)),
        ),
    });
    const list = within(await screen.findByRole('list', { name: 'Scheduled' }));
    expect(list.getAllByRole('listitem').map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^Soon.*company company_a · /),
      expect.stringMatching(/^Standup moved\s*in 1 hour.*company company_a · /),
      expect.stringMatching(/^Quarterly review\s*in 2 days.*2 users · /),
    ]);

    fireEvent.click(list.getByRole('button', { name: 'Cancel "Standup moved"' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Cancelled “Standup moved”.'));
    expect(list.queryByText('Standup moved')).toBeNull();
    expect(api.calls()).toContain('DELETE /api/notifications/s-1');
    expect(api.requests.find((r) => r.method === 'DELETE')?.authorization).toBe('Bearer tok-user1');

    // a second after "Soon" is due the list looks again: it went out
    await waitFor(() => expect(list.queryByText('Soon')).toBeNull(), { timeout: 6_000 });
    expect(list.getAllByRole('listitem')).toHaveLength(1);
  });

  it('says plainly when a send already went out (409) and lists what is still pending', async () => {
    const { api } = await mount(<ScheduledSends />, { prepare: (api) => api.scheduled.push(pending('s-1', 'Standup moved', inMs(3600_000))) });
    const cancel = await screen.findByRole('button', { name: 'Cancel "Standup moved"' });
    api.scheduled[0]!.send_at = inMs(-1_000); // it went out meanwhile
    fireEvent.click(cancel);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('“Standup moved” already went out: a sent notification cannot be cancelled.'));
    await waitFor(() => expect(screen.getByText('Nothing scheduled.')).toBeTruthy());
  });

  it('says when nothing is scheduled, and looks no more', async () => {
    const { api } = await mount(<ScheduledSends emptyText="No sends pending" />);
    expect(await screen.findByText('No sends pending')).toBeTruthy();
    expect(api.calls().filter((c) => c === 'GET /api/notifications/scheduled')).toHaveLength(1);
  });
});
