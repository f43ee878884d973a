import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { PreferencesPage } from './PreferencesPage';
import { adopt } from '@/features/auth/session';

const NIGHTS = { start: '22:00', end: '07:00', timezone: 'Europe/Berlin' };

async function fill(label: string, value: string) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  await userEvent.type(field, value);
}

describe('Quiet hours in the preferences', () => {
  it('turns them on with the times and zone entered, shows a problem naming a bad zone, and turns them off', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    let saved: typeof NIGHTS | undefined;
    const calls = mockApi({
      'GET /api/notifications/preferences': () => ({ status: 200, body: { types: { info: true }, ...(saved ? { quiet_hours: saved } : {}) } }),
      'GET /api/notifications': { status: 200, body: { items: [] } },
      'PUT /api/notifications/preferences': (call) => {
        const q = (call.body as { quiet_hours: typeof NIGHTS }).quiet_hours;
        if (q.timezone === 'Mars/Base') {
          return {
            status: 400,
            body: { title: 'Bad Request', status: 400, detail: 'quiet_hours.timezone: must be an IANA time zone id, such as Europe/Berlin',
              violations: [{ field: 'quiet_hours.timezone', in: 'body', message: 'must be an IANA time zone id, such as Europe/Berlin' }] },
          };
        }
        saved = q;
        return { status: 200, body: { types: { info: true }, quiet_hours: q } };
      },
      'DELETE /api/notifications/preferences/quiet-hours': () => {
        saved = undefined;
        return { status: 200, body: { types: { info: true } } };
      },
    });
    renderWithApp(<PreferencesPage />);
    const form = await screen.findByRole('form', { name: 'Quiet hours' });
    expect(form).toBeTruthy();
    expect(screen.getByText(/^Off\./)).toBeTruthy();

    await fill('Time zone', 'Mars/Base');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on quiet hours' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('quiet_hours.timezone');

    await fill('From', '22:00');
    await fill('Until', '22:00');
    await fill('Time zone', 'Europe/Berlin');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on quiet hours' }));
    expect(await screen.findByText('Must differ from the start')).toBeTruthy(); // checked before it is sent

    await fill('Until', '07:00');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on quiet hours' }));
    await waitFor(() => expect(screen.getByTestId('quiet-status')).toHaveTextContent('Quiet hours saved.'));
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({ types: {}, quiet_hours: NIGHTS });
    expect(screen.getByText(/On: 22:00 to 07:00 \(Europe\/Berlin\)/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(screen.getByTestId('quiet-status')).toHaveTextContent('Quiet hours off.'));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(screen.getByText(/^Off\./)).toBeTruthy();
  });
});
