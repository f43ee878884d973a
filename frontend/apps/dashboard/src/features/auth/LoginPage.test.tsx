import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { LoginPage } from './LoginPage';

describe('LoginPage', () => {
  it('says what is missing before asking the server', async () => {
    const calls = mockApi({});
    renderWithApp(<LoginPage />);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter your username')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.url === '/api/auth/session')).toHaveLength(0); // only the start-up restore asked
  });

  it('shows a wrong password clearly', async () => {
    mockApi({ 'POST /api/auth/session': { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    renderWithApp(<LoginPage />);
    await userEvent.type(screen.getByLabelText('Username'), 'user1');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  });

  it('tells a throttled user when to try again', async () => {
    mockApi({
      'POST /api/auth/session': { status: 429, body: { title: 'Too Many Requests', status: 429 }, headers: { 'retry-after': '120' } },
    });
    renderWithApp(<LoginPage />);
    await userEvent.type(screen.getByLabelText('Username'), 'user1');
    await userEvent.type(screen.getByLabelText('Password'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts: try again in 120 s.');
  });
});
