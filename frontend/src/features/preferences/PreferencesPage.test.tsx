import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { PreferencesPage } from './PreferencesPage';
import { adopt } from '@/features/auth/session';

describe('PreferencesPage', () => {
  it('switches a type off with the keyboard, saving the whole map', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    const calls = mockApi({
      'GET /api/notifications/preferences': { status: 200, body: { types: { meeting: false } } },
      'PUT /api/notifications/preferences': (call) => ({ status: 200, body: call.body }),
    });
    renderWithApp(<PreferencesPage />);
    const meeting = await screen.findByRole('switch', { name: 'Meeting' });
    const info = screen.getByRole('switch', { name: 'Info' });
    expect(meeting).not.toBeChecked();
    expect(info).toBeChecked();

    info.focus();
    await userEvent.keyboard(' ');
    await waitFor(() => expect(info).not.toBeChecked());
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ types: { meeting: false, info: false } });
  });

  it('puts the switch back when the server refuses', async () => {
    adopt({ accessToken: fakeJwt(900), expiresAt: Date.now() + 900_000 });
    mockApi({
      'GET /api/notifications/preferences': { status: 200, body: { types: {} } },
      'PUT /api/notifications/preferences': { status: 400, body: { title: 'Bad Request', status: 400, detail: 'too many types' } },
    });
    renderWithApp(<PreferencesPage />);
    const info = await screen.findByRole('switch', { name: 'Info' });
    await userEvent.click(info);
    expect(await screen.findByText('Preferences not saved')).toBeInTheDocument();
    await waitFor(() => expect(info).toBeChecked());
  });
});
