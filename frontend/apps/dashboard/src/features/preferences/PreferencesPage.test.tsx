import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { PreferencesPage, preferenceTypes } from './PreferencesPage';
import { adopt } from '@/features/auth/session';

// as the service answers: every known type (on unless switched off) plus the reader's own
const known = (changes: Record<string, boolean> = {}) => ({
  types: {
    general: true, meeting: true, meeting_response: true, meeting_invitation: true, meeting_scheduled: true, action_item: true,
    approval: true, mom_created: true, info: true, warning: true, error: true, success: true, ...changes,
  },
});
const inbox = (...types: string[]) => ({ status: 200, body: { items: types.map((type, i) => ({ id: `n${i}`, type, title: 't' })) } });

describe('PreferencesPage', () => {
  it('lists the types received and the ones switched off, in words, and saves a switch with a visible confirmation', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    const calls = mockApi({
      'GET /api/notifications/preferences': { status: 200, body: known({ meeting: false }) },
      'GET /api/notifications': inbox('alert', 'mention', 'info', 'alert'),
      'PUT /api/notifications/preferences': (call) => ({ status: 200, body: known((call.body as { types: Record<string, boolean> }).types) }),
    });
    renderWithApp(<PreferencesPage />);
    const list = await screen.findByRole('list', { name: 'Notification types' });
    expect(within(list).getAllByRole('switch').map((s) => s.getAttribute('id'))).toEqual(['pref-alert', 'pref-info', 'pref-meeting', 'pref-mention']);
    expect(screen.queryByRole('switch', { name: 'Meeting minutes' })).toBeNull(); // never received: nothing to mute
    expect(screen.getByRole('switch', { name: 'Meetings' })).not.toBeChecked();
    const alert = screen.getByRole('switch', { name: 'Alert' });
    expect(alert).toBeChecked();

    alert.focus();
    await userEvent.keyboard(' ');
    await waitFor(() => expect(alert).not.toBeChecked());
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ types: { alert: false } });
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
  });

  it('mutes and unmutes all the listed types at once', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    const calls = mockApi({
      'GET /api/notifications/preferences': { status: 200, body: known() },
      'GET /api/notifications': inbox('alert', 'info'),
      'PUT /api/notifications/preferences': (call) => ({ status: 200, body: known((call.body as { types: Record<string, boolean> }).types) }),
    });
    renderWithApp(<PreferencesPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Mute all' }));
    await waitFor(() => expect(screen.getAllByRole('switch').every((s) => s.getAttribute('aria-checked') === 'false')).toBe(true));
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({ types: { alert: false, info: false } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Unmute all' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Unmute all' }));
    await waitFor(() => expect(screen.getAllByRole('switch').every((s) => s.getAttribute('aria-checked') === 'true')).toBe(true));
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({ types: { alert: true, info: true } });
  });

  it('puts the switch back when the server refuses', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    mockApi({
      'GET /api/notifications/preferences': { status: 200, body: known() },
      'GET /api/notifications': inbox('info'),
      'PUT /api/notifications/preferences': { status: 400, body: { title: 'Bad Request', status: 400, detail: 'too many types' } },
    });
    renderWithApp(<PreferencesPage />);
    const info = await screen.findByRole('switch', { name: 'Info' });
    await userEvent.click(info);
    expect(await screen.findByText('Preferences not saved')).toBeInTheDocument();
    await waitFor(() => expect(info).toBeChecked());
    expect(screen.getByTestId('save-status')).toHaveTextContent('Not saved.');
  });

  it('offers custom types the reader switched, even on', () => {
    expect(preferenceTypes({ ...known().types, deploy: true }, [])).toEqual(['deploy']);
  });
});
