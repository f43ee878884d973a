import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adopt } from '@/features/auth/session';
import { fakeJwt, mockApi, type Call } from '@/test/api-mock';
import { renderWithApp } from '@/test/render';
import { TopicsPage } from './TopicsPage';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const subscription = (topic: string, since_seq: number, subscribed_at = ago(3600_000)) => ({
  topic,
  company: 'company_a',
  user_id: 'u-1',
  since_seq,
  subscribed_at,
});
const problem = (status: number, detail: string, field?: string) => ({
  status,
  body: { title: status === 404 ? 'Not Found' : 'Bad Request', status, detail, ...(field ? { violations: [{ field, in: 'path', message: detail }] } : {}) },
});
const me = (roles: string[], id = 'u-1') => ({ status: 200, body: { id, username: id === 'u-1' ? 'user1' : 'admin', company: 'company_a', roles } });

function signIn(sub: string) {
  adopt({ accessToken: fakeJwt(900, sub), expiresAt: Date.now() + 900_000 });
}

describe('TopicsPage: what the signed-in user follows', () => {
  it('lists their topics, follows a key (checked before it is sent) and unfollows one', async () => {
    signIn('user1');
    let following = [subscription('project-42', 10)];
    const calls = mockApi({
      'GET /api/auth/me': me(['user']),
      'GET /api/topics': () => ({ status: 200, body: { items: following } }),
      'PUT /api/topics/invoice-1001/subscription': () => {
        const added = subscription('invoice-1001', 77, new Date().toISOString());
        following = [added, ...following];
        return { status: 200, body: added };
      },
      'DELETE /api/topics/project-42/subscription': () => {
        following = following.filter((s) => s.topic !== 'project-42');
        return { status: 204 };
      },
    });
    renderWithApp(<TopicsPage />);
    const list = await screen.findByRole('list', { name: 'Following' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringMatching(/^project-42Since 1 hour ago/)]);
    expect(screen.getByText(/Follow a topic of company_a/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Subscribers' })).toBeNull(); // admins only

    const key = screen.getByRole('textbox', { name: 'Topic' });
    await userEvent.type(key, 'no spaces please');
    await userEvent.click(screen.getByRole('button', { name: 'Follow' }));
    await waitFor(() => expect(key).toHaveAttribute('aria-invalid', 'true'));
    expect(key).toHaveAccessibleDescription(/^Up to 128 letters, digits/);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await userEvent.clear(key);
    await userEvent.type(key, 'invoice-1001{Enter}');
    expect(await screen.findByTestId('topics-status')).toHaveTextContent('Following “invoice-1001”');
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Following' })).getAllByRole('listitem').map((li) => li.dataset.topic)).toEqual([
        'invoice-1001',
        'project-42',
      ]),
    );
    expect(key).toHaveValue('');

    await userEvent.click(screen.getByRole('button', { name: 'Unfollow "project-42"' }));
    await waitFor(() => expect(screen.getByTestId('topics-status')).toHaveTextContent('Unfollowed “project-42”: its notifications left your inbox.'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Unfollow "project-42"' })).toBeNull());
    const changes = calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.url}`);
    expect(changes).toEqual(['PUT /api/topics/invoice-1001/subscription', 'DELETE /api/topics/project-42/subscription']);
  });

  it("shows the service's problem: on the field for a bad key, else as an alert with its detail", async () => {
    signIn('user1');
    mockApi({
      'GET /api/auth/me': me(['user']),
      'GET /api/topics': { status: 200, body: { items: [] } },
      'PUT /api/topics/a..b/subscription': problem(400, 'must be a topic key', 'key'),
      'PUT /api/topics/project-42/subscription': { status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'Try again in a moment' } },
    });
    renderWithApp(<TopicsPage />);
    expect(await screen.findByTestId('no-topics')).toHaveTextContent('You follow no topics yet.');
    const key = screen.getByRole('textbox', { name: 'Topic' });
    await userEvent.type(key, 'a..b{Enter}');
    await waitFor(() => expect(key).toHaveAccessibleDescription('must be a topic key'));

    await userEvent.clear(key);
    await userEvent.type(key, 'project-42{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Not followed: Try again in a moment');
    expect(screen.getByTestId('no-topics')).toBeInTheDocument();
  });
});

describe("TopicsPage: a topic's subscribers, for admins", () => {
  const people = {
    status: 200,
    body: {
      users: [
        { id: 'u-1', username: 'user1', display_name: 'User One', company: 'company_a' },
        { id: 'u-3', username: 'user3', display_name: 'User Three', company: 'company_a' },
      ],
    },
  };

  it('pages through them, adds someone by id, removes one, and shows a 404 for an id not of the company', async () => {
    signIn('admin');
    let subscribers = ['u-1', 'u-2', 'u-4'];
    const row = (user_id: string) => ({ user_id, since_seq: 5, subscribed_at: ago(86_400_000) });
    const calls = mockApi({
      'GET /api/auth/me': me(['admin', 'user'], 'a-1'),
      'GET /api/topics': { status: 200, body: { items: [] } },
      'GET /api/auth/users': people,
      // two per page, keyset by user id
      'GET /api/topics/project-42/subscribers': (call: Call) => {
        const query = new URLSearchParams(call.query);
        const after = query.get('after') ?? '';
        const page = subscribers.filter((id) => id > after).slice(0, 2);
        const more = subscribers.some((id) => id > (page.at(-1) ?? '~'));
        return { status: 200, body: { items: page.map(row), next_after: more ? (page.at(-1) ?? null) : null } };
      },
      'PUT /api/topics/project-42/subscribers/u-3': () => {
        subscribers = [...subscribers, 'u-3'].sort();
        return { status: 200, body: { ...subscription('project-42', 90), user_id: 'u-3' } };
      },
      'PUT /api/topics/project-42/subscribers/elsewhere-9': problem(404, 'No user elsewhere-9 in company_a'),
      'DELETE /api/topics/project-42/subscribers/u-1': () => {
        subscribers = subscribers.filter((id) => id !== 'u-1');
        return { status: 204 };
      },
    });
    renderWithApp(<TopicsPage />);
    const lookup = within(await screen.findByRole('form', { name: "Find a topic's subscribers" }));
    await userEvent.type(lookup.getByRole('textbox', { name: 'Topic' }), 'project-42');
    await userEvent.click(lookup.getByRole('button', { name: 'Show subscribers' }));
    const card = within(await screen.findByRole('region', { name: 'Subscribers of “project-42”' }));

    const names = () => within(screen.getByRole('list', { name: 'Subscribers of "project-42"' })).getAllByRole('listitem').map((li) => li.dataset.userId);
    await waitFor(() => expect(names()).toEqual(['u-1', 'u-2']));
    expect(screen.getByRole('list', { name: 'Subscribers of "project-42"' })).toHaveTextContent(/User One.*u-1 · since yesterday/);
    await userEvent.click(card.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(names()).toEqual(['u-1', 'u-2', 'u-4']));
    expect(card.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(calls.filter((c) => c.url.endsWith('/subscribers')).map((c) => c.query)).toEqual(['limit=50', 'after=u-2&limit=50']);

    const id = card.getByRole('combobox', { name: 'User id' }); // an input with the company's people as suggestions
    await userEvent.type(id, 'elsewhere-9{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Not added: No user elsewhere-9 in company_a');

    await userEvent.clear(id);
    await userEvent.type(id, 'u-3{Enter}');
    expect(await screen.findByTestId('subscribers-status')).toHaveTextContent('User Three now follows “project-42”.');
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(names()).toEqual(['u-1', 'u-2', 'u-3', 'u-4']));

    await userEvent.click(card.getByRole('button', { name: 'Remove User One from "project-42"' }));
    await waitFor(() => expect(names()).toEqual(['u-2', 'u-3', 'u-4']));
    expect(screen.getByTestId('subscribers-status')).toHaveTextContent('User One no longer follows “project-42”.');
    expect(calls.filter((c) => c.method === 'PUT' || c.method === 'DELETE').map((c) => `${c.method} ${c.url}`)).toEqual([
      'PUT /api/topics/project-42/subscribers/elsewhere-9',
      'PUT /api/topics/project-42/subscribers/u-3',
      'DELETE /api/topics/project-42/subscribers/u-1',
    ]);
  });

  it('says when nobody follows the topic', async () => {
    signIn('admin');
    mockApi({
      'GET /api/auth/me': me(['admin', 'user'], 'a-1'),
      'GET /api/topics': { status: 200, body: { items: [] } },
      'GET /api/auth/users': people,
      'GET /api/topics/quiet/subscribers': { status: 200, body: { items: [], next_after: null } },
    });
    renderWithApp(<TopicsPage />);
    const lookup = within(await screen.findByRole('form', { name: "Find a topic's subscribers" }));
    await userEvent.type(lookup.getByRole('textbox', { name: 'Topic' }), 'quiet{Enter}');
    expect(await screen.findByTestId('no-subscribers')).toHaveTextContent('Nobody follows “quiet” yet.');
  });
});
