import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Notification } from '@notify/client';
import { notification } from '../../client/test/frames';
import { NotifyProvider, Preferences, QuietHours, useUnreadCount } from '../src';
import { mount, services } from './mount';
import { stored } from './server';

// Quiet hours (issue 25): a notification pushed with `silent: true` is in the inbox and counted like any other,
// but the host is not asked to announce it (no toast, no sound); urgent ones are never silent (the gateway's rule).
// And the form that sets them, in <Preferences/> or alone.

function Count() {
  return <span data-testid="unread">{useUnreadCount()}</span>;
}

describe('onNotification and silent pushes', () => {
  it('announces a live notification, not a silent one, and counts both', async () => {
    const { api, gateway } = await services();
    const announced: Notification[] = [];
    render(
      <NotifyProvider
        baseUrl={api.baseUrl}
        socketUrl={gateway.url}
        token={async () => 'tok-user1'}
        WebSocketImpl={NodeWebSocket as unknown as typeof WebSocket}
        onNotification={(n) => announced.push(n)}
      >
        <Count />
      </NotifyProvider>,
    );
    await waitFor(() => expect(gateway.connections).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('unread').textContent).toBe('0'));

    api.items.push(stored('quiet', 1));
    gateway.latest().send({ ...notification('quiet', 1), silent: true, payload: stored('quiet', 1) });
    await waitFor(() => expect(screen.getByTestId('unread').textContent).toBe('1'));
    api.items.push(stored('loud', 2));
    gateway.latest().send({ ...notification('loud', 2), payload: stored('loud', 2) });
    await waitFor(() => expect(screen.getByTestId('unread').textContent).toBe('2'));

    expect(announced.map((n) => n.id)).toEqual(['loud']);
    // the silent one is acknowledged like any push: it was delivered
    await waitFor(() => expect(gateway.latest().frames.flatMap((f) => (f.type === 'ack' ? (f.ids as string[]) : []))).toContain('quiet'));
  });
});

describe('<QuietHours/>', () => {
  const form = () => screen.getByRole('form', { name: 'Quiet hours' });
  const input = (name: string) => within(form()).getByLabelText(name) as HTMLInputElement;
  const change = (name: string, value: string) => fireEvent.change(input(name), { target: { value } });

  it("turns them on from the preferences (in the browser's time zone by default), keeps the types' settings, and turns them off", async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/Sao_Paulo'; // this "browser's" zone (Node applies it at once)
    onTestFinished(() => void (tz === undefined ? delete process.env.TZ : (process.env.TZ = tz)));
    const { api } = await mount(<Preferences />);
    await waitFor(() => expect(within(form()).getByRole('button', { name: 'Turn on quiet hours' })).toHaveProperty('disabled', false));
    expect(form().textContent).toContain('Off.');
    // the browser's zone, among every IANA zone it knows
    const zone = input('Time zone');
    expect(zone.value).toBe('America/Sao_Paulo');
    expect([...(zone as unknown as HTMLSelectElement).options].map((o) => o.value)).toEqual(expect.arrayContaining(['Asia/Tokyo', 'Europe/Berlin', 'UTC']));
    expect(input('From').value).toBe('22:00');
    expect(input('Until').value).toBe('07:00');

    change('From', '23:00');
    change('Until', '06:30');
    change('Time zone', 'Asia/Tokyo');
    fireEvent.click(within(form()).getByRole('button', { name: 'Turn on quiet hours' }));
    await waitFor(() => expect(within(form()).getByRole('status').textContent).toBe('Quiet hours saved'));
    const put = api.requests.find((r) => r.method === 'PUT' && r.url === '/api/notifications/preferences');
    expect(JSON.parse(put?.body ?? '{}')).toEqual({ types: {}, quiet_hours: { start: '23:00', end: '06:30', timezone: 'Asia/Tokyo' } });
    expect(api.quietHours()).toEqual({ start: '23:00', end: '06:30', timezone: 'Asia/Tokyo' });
    expect(api.preferences()).toEqual({ warning: false });
    expect(form().textContent).toContain('On: 23:00 to 06:30 (Asia/Tokyo).');
    // the types' switches are as they were
    expect((screen.getByRole('switch', { name: 'Warning' }) as HTMLInputElement).checked).toBe(false);

    fireEvent.click(within(form()).getByRole('button', { name: 'Turn off quiet hours' }));
    await waitFor(() => expect(within(form()).getByRole('status').textContent).toBe('Quiet hours off'));
    expect(api.calls()).toContain('DELETE /api/notifications/preferences/quiet-hours');
    expect(api.quietHours()).toBeUndefined();
    expect(form().textContent).toContain('Off.');
    expect(within(form()).queryByRole('button', { name: 'Turn off quiet hours' })).toBeNull();
  });

  it("refuses an end equal to the start without a call, and shows the service's refusal at its field", async () => {
    const { api } = await mount(<QuietHours />, { prepare: (api) => api.unknownZones.add('Asia/Tokyo') });
    await waitFor(() => expect(within(form()).getByRole('button', { name: 'Turn on quiet hours' })).toHaveProperty('disabled', false));
    change('Until', '22:00');
    fireEvent.click(within(form()).getByRole('button', { name: 'Turn on quiet hours' }));
    expect(input('Until').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input('Until').getAttribute('aria-describedby') ?? '')?.textContent).toBe('Must differ from the start');
    expect(api.calls().filter((c) => c.startsWith('PUT'))).toEqual([]);

    // a zone this browser knows and the service does not (its tzdata is older): its problem, at the field and above
    change('Until', '07:00');
    expect(input('Until').getAttribute('aria-invalid')).toBeNull();
    change('Time zone', 'Asia/Tokyo');
    fireEvent.click(within(form()).getByRole('button', { name: 'Turn on quiet hours' }));
    expect((await within(form()).findByRole('alert')).textContent).toBe('quiet_hours.timezone: must be an IANA time zone id, such as Europe/Berlin');
    expect(input('Time zone').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input('Time zone').getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'must be an IANA time zone id, such as Europe/Berlin',
    );
    expect(api.quietHours()).toBeUndefined();
    expect(form().textContent).toContain('Off.');
  });

  it('shows quiet hours set in another tab (preferences_updated)', async () => {
    const { gateway } = await mount(<QuietHours />);
    await waitFor(() => expect(form().textContent).toContain('Off.'));
    const quiet_hours = { start: '21:00', end: '06:00', timezone: 'Europe/Berlin' };
    gateway.latest().send({ type: 'preferences_updated', preferences: { types: { warning: false }, quiet_hours }, seq: 5 });
    await waitFor(() => expect(form().textContent).toContain('On: 21:00 to 06:00 (Europe/Berlin).'));
    expect(input('From').value).toBe('21:00');
    expect(input('Time zone').value).toBe('Europe/Berlin');
  });
});
