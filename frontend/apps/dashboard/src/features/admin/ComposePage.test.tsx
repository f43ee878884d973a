import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeJwt, mockApi } from '@/test/api-mock';
import { deliveryStats } from '@/test/delivery';
import { renderWithApp } from '@/test/render';
import { ComposePage } from './ComposePage';
import { fieldOf, isoWithOffset, localInputValue, reachSentence } from './schema';
import { adopt } from '@/features/auth/session';

function signInAsAdmin() {
  adopt({ accessToken: fakeJwt(900, 'admin'), expiresAt: Date.now() + 900_000 });
}

const base = {
  'GET /api/auth/me': { status: 200, body: { username: 'admin', roles: ['admin', 'user'] } },
  'GET /api/auth/companies': { status: 200, body: [{ slug: 'company_a', name: 'Company A' }] },
  'GET /api/notifications/scheduled': { status: 200, body: [] },
  'GET /api/auth/users/count': (call: { query: string }) => ({ status: 200, body: { count: call.query.includes('company_a') ? 2 : 5 } }),
  'GET /api/auth/users': {
    status: 200,
    body: {
      users: [
        { id: 'u1', username: 'user1', display_name: 'User One', company: 'company_a' },
        { id: 'u2', username: 'user2', display_name: 'User Two', company: 'company_b' },
      ],
    },
  },
};

describe('ComposePage', () => {
  it('sends to a company what the form shows, with a live preview', async () => {
    signInAsAdmin();
    const calls = mockApi({
      ...base,
      'POST /api/notifications': (call) => ({ status: 201, body: { id: 'n-9', ...(call.body as object) } }),
    });
    renderWithApp(<ComposePage />);
    expect(screen.getByTestId('reach')).toHaveTextContent('Pick a company.');
    await screen.findByRole('option', { name: 'Company A' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'Company A');
    expect(await screen.findByText('Reaches 2 people in Company A.')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Priority'), 'urgent');
    await userEvent.clear(screen.getByLabelText('Type'));
    await userEvent.type(screen.getByLabelText('Type'), 'meeting');
    await userEvent.type(screen.getByLabelText('Title'), 'Standup moved');
    await userEvent.type(screen.getByLabelText('Message'), 'At 10:30');
    await userEvent.type(screen.getByLabelText('Link (optional)'), '/meetings/42');
    await userEvent.type(screen.getByLabelText('Data (optional JSON object)'), '{{"meeting_id": 42}');
    const preview = within(screen.getByRole('region', { name: 'Preview' }));
    expect(preview.getByRole('article')).toHaveTextContent('Standup moved');
    expect(preview.getByRole('article')).toHaveAttribute('data-priority', 'urgent');

    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const result = await screen.findByTestId('send-result');
    expect(result).toHaveTextContent('Sent “Standup moved” to company company_a.');
    expect(result).not.toHaveTextContent('n-9');
    expect(within(result).getByRole('link', { name: 'See its delivery' })).toHaveAttribute('href', '#delivery');
    // ready for the next one, to the same audience
    expect(screen.getByLabelText('Title')).toHaveValue('');
    expect(screen.getByLabelText('Message')).toHaveValue('');
    expect(screen.getByLabelText('Type')).toHaveValue('general');
    expect(screen.getByRole('combobox', { name: 'Company' })).toHaveValue('company_a');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      audience: { type: 'company', company: 'company_a' },
      title: 'Standup moved',
      message: 'At 10:30',
      type: 'meeting',
      priority: 'urgent',
      link: '/meetings/42',
      data: { meeting_id: 42 },
    });
  });

  it('picks users from the directory', async () => {
    signInAsAdmin();
    const calls = mockApi({ ...base, 'POST /api/notifications': { status: 201, body: { id: 'n-1', title: 'Hi' } } });
    renderWithApp(<ComposePage />);
    await userEvent.click(screen.getByRole('radio', { name: 'Users' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: /User Two/ }));
    expect(screen.getByTestId('reach')).toHaveTextContent('Reaches 1 person.');
    await userEvent.type(screen.getByLabelText('Title'), 'Hi');
    await userEvent.type(screen.getByLabelText('Message'), 'There');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByTestId('send-result');
    expect((calls.find((c) => c.method === 'POST')?.body as { audience: unknown }).audience).toEqual({ type: 'users', user_ids: ['u2'] });
  });

  it("shows the sent notification's delivery, and keeps this session's sends to come back to", async () => {
    signInAsAdmin();
    let sends = 0;
    mockApi({
      ...base,
      // as the service answers: the audience does not list the users
      'POST /api/notifications': (call) => {
        const body = call.body as { audience: { type: string } };
        return { status: 201, body: { id: `n-${++sends}`, ...body, audience: { type: body.audience.type } } };
      },
      'GET /api/notifications/n-1/delivery': {
        status: 200,
        body: deliveryStats({
          notification_id: 'n-1',
          audience: { type: 'users', user_ids: ['u1', 'u2'] },
          audience_size: 2,
          delivered_users: 1,
          delivered_sockets: 3,
          read_users: 1,
          first_delivered_at: new Date().toISOString(),
          last_delivered_at: new Date().toISOString(),
        }),
      },
      'GET /api/notifications/n-2/delivery': {
        status: 200,
        body: { ...deliveryStats({ notification_id: 'n-2', audience: { type: 'company', company: 'company_a' }, audience_size: null }), undelivered_user_ids: undefined },
      },
    });
    const first = renderWithApp(<ComposePage />);
    await userEvent.click(screen.getByRole('radio', { name: 'Users' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: /User One/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /User Two/ }));
    await userEvent.type(screen.getByLabelText('Title'), 'Standup moved');
    await userEvent.type(screen.getByLabelText('Message'), 'At 10:30');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const card = within(await screen.findByRole('region', { name: 'Delivery' }));
    expect(card.getByText('To 2 users')).toBeInTheDocument();
    expect(await card.findByRole('progressbar', { name: 'Delivered' })).toHaveAttribute('aria-valuetext', '1 of 2 users');
    expect(card.getByText(/of 2 users delivered/)).toBeInTheDocument();
    expect(card.getByTestId('delivered-share')).toHaveTextContent('50%');
    expect(card.getByTestId('stat-delivered')).toHaveTextContent('1');
    expect(card.getByTestId('stat-delivered')).toHaveTextContent('3 sockets');
    expect(card.getByTestId('stat-read-value')).toHaveTextContent('1');
    expect(card.getByTestId('stat-clicked-value')).toHaveTextContent('0');
    expect(card.getByTestId('first-delivered')).toHaveTextContent('just now');
    expect(card.queryByTestId('undelivered')).toBeNull(); // the timeout has not passed

    // a second send: its card replaces the first, whose stats stay a click away
    await userEvent.click(screen.getByRole('radio', { name: 'Company' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'company_a');
    await userEvent.type(screen.getByLabelText('Title'), 'Lunch');
    await userEvent.type(screen.getByLabelText('Message'), 'At noon');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByTestId('delivery-stats')).toHaveAttribute('data-notification-id', 'n-2'));
    const unknownSize = within(screen.getByTestId('delivery-stats'));
    expect(await unknownSize.findByText(/of — users delivered/)).toBeInTheDocument();
    expect(unknownSize.queryByRole('progressbar')).toBeNull();
    expect(unknownSize.getByTestId('stat-audience-value')).toHaveTextContent('—');
    expect(unknownSize.getByTestId('first-delivered')).toHaveTextContent('—');

    const recent = within(screen.getByRole('region', { name: 'Recently sent' }));
    expect(recent.getAllByRole('button').map((b) => b.textContent)).toEqual([
      expect.stringContaining('Lunchcompany company_a'),
      expect.stringContaining('Standup moved2 users'),
    ]);
    await userEvent.click(recent.getByRole('button', { name: /Standup moved/ }));
    await waitFor(() => expect(screen.getByTestId('delivery-stats')).toHaveAttribute('data-notification-id', 'n-1'));

    // the list lives as long as the tab's session
    first.unmount();
    renderWithApp(<ComposePage />);
    expect(within(screen.getByRole('region', { name: 'Recently sent' })).getAllByRole('button')).toHaveLength(2);
    expect(screen.getByTestId('delivery-stats')).toHaveAttribute('data-notification-id', 'n-2');
  });

  it('checks what it can before sending', async () => {
    signInAsAdmin();
    const calls = mockApi(base);
    renderWithApp(<ComposePage />);
    await userEvent.type(screen.getByLabelText('Data (optional JSON object)'), '[[1]');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Give it a title')).toBeInTheDocument();
    expect(screen.getByText('Name the company')).toBeInTheDocument();
    expect(screen.getByText(/Data must be a JSON object/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it("shows the server's validation errors on the fields they name", async () => {
    signInAsAdmin();
    mockApi({
      ...base,
      'POST /api/notifications': {
        status: 400,
        body: {
          title: 'Bad Request',
          status: 400,
          detail: 'type: must match "[a-z][a-z0-9_]{0,63}"',
          violations: [{ field: 'type', in: 'body', message: 'must match "[a-z][a-z0-9_]{0,63}"' }],
        },
      },
    });
    renderWithApp(<ComposePage />);
    await screen.findByRole('option', { name: 'Company A' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'Company A');
    await userEvent.clear(screen.getByLabelText('Type'));
    await userEvent.type(screen.getByLabelText('Type'), 'Not A Type');
    await userEvent.type(screen.getByLabelText('Title'), 'T');
    await userEvent.type(screen.getByLabelText('Message'), 'M');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not sent');
    expect(screen.getByLabelText('Type')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Type')).toHaveAccessibleDescription('must match "[a-z][a-z0-9_]{0,63}"');
  });

  it('schedules a send for later: "Scheduled for", listed under Scheduled, not sent', async () => {
    signInAsAdmin();
    const pending: unknown[] = [];
    const calls = mockApi({
      ...base,
      'GET /api/notifications/scheduled': () => ({ status: 200, body: pending }),
      'POST /api/notifications': (call) => {
        const body = call.body as { title: string; type: string; send_at: string; audience: unknown };
        const scheduled = { id: 's-1', status: 'scheduled', send_at: body.send_at, audience: body.audience, title: body.title, type: body.type };
        pending.push(scheduled);
        return { status: 202, body: scheduled };
      },
    });
    renderWithApp(<ComposePage />);
    await screen.findByRole('option', { name: 'Company A' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'Company A');
    await userEvent.type(screen.getByLabelText('Title'), 'Quarterly review');
    await userEvent.type(screen.getByLabelText('Message'), 'Tomorrow at 9');
    const at = new Date(Date.now() + 3600_000);
    at.setMilliseconds(0);
    const field = screen.getByLabelText('Send later (optional)');
    expect(field).toHaveAttribute('type', 'datetime-local');
    fireEvent.change(field, { target: { value: localInputValue(at) } });
    await userEvent.click(screen.getByRole('button', { name: 'Schedule' }));

    const result = await screen.findByTestId('send-result');
    expect(result).toHaveTextContent(/^Scheduled for .+: “Quarterly review” to company company_a\.$/);
    expect(result).not.toHaveTextContent('Sent');
    const sentAt = (calls.find((c) => c.method === 'POST')?.body as { send_at: string }).send_at;
    expect(result.querySelector('time')).toHaveAttribute('dateTime', sentAt);
    expect(sentAt).toBe(isoWithOffset(at));
    expect(sentAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/); // with the browser's offset
    expect(new Date(sentAt).getTime()).toBe(at.getTime());
    // listed under Scheduled; nothing to watch the delivery of yet
    const list = within(await screen.findByRole('region', { name: 'Scheduled' }));
    expect(await list.findByText('Quarterly review')).toBeInTheDocument();
    expect(list.getByRole('button', { name: 'Cancel "Quarterly review"' })).toBeEnabled();
    expect(screen.queryByTestId('delivery-stats')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Recently sent' })).toBeNull();
    // the form is fresh again, for sending now
    expect(screen.getByLabelText('Send later (optional)')).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
  });

  it('refuses a send-later time in the past before sending', async () => {
    signInAsAdmin();
    const calls = mockApi(base);
    renderWithApp(<ComposePage />);
    await userEvent.type(screen.getByLabelText('Title'), 'T');
    await userEvent.type(screen.getByLabelText('Message'), 'M');
    fireEvent.change(screen.getByLabelText('Send later (optional)'), { target: { value: localInputValue(new Date(Date.now() - 60_000)) } });
    await userEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    expect(await screen.findByText('Pick a time in the future')).toBeInTheDocument();
    expect(screen.getByLabelText('Send later (optional)')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Send later (optional)')).toHaveAccessibleDescription('Pick a time in the future');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it("shows the server's send_at violation on the Send later field", async () => {
    signInAsAdmin();
    mockApi({
      ...base,
      'POST /api/notifications': {
        status: 400,
        body: { title: 'Bad Request', status: 400, violations: [{ field: 'send_at', in: 'body', message: 'must be at most 366 days ahead' }] },
      },
    });
    renderWithApp(<ComposePage />);
    await screen.findByRole('option', { name: 'Company A' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'Company A');
    await userEvent.type(screen.getByLabelText('Title'), 'T');
    await userEvent.type(screen.getByLabelText('Message'), 'M');
    fireEvent.change(screen.getByLabelText('Send later (optional)'), { target: { value: localInputValue(new Date(Date.now() + 86_400_000)) } });
    await userEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not sent');
    expect(screen.getByLabelText('Send later (optional)')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Send later (optional)')).toHaveAccessibleDescription('must be at most 366 days ahead');
  });

  it('says how many people a send reaches, or whom while the count is not known', () => {
    const v = { audienceType: 'role' as const, userIds: [], company: '', role: 'admin' as const, roleCompany: 'company_a' };
    const name = (slug: string) => (slug === 'company_a' ? 'Company A' : slug);
    expect(reachSentence(v, 1, name)).toBe('Reaches 1 person in Company A.');
    expect(reachSentence(v, undefined, name)).toBe('Reaches everyone with the role admin in Company A.');
    expect(reachSentence({ ...v, audienceType: 'everyone' }, 12, name)).toBe('Reaches 12 people.');
    expect(reachSentence({ ...v, audienceType: 'company' }, undefined, name)).toBe('Pick a company.');
    expect(reachSentence({ ...v, audienceType: 'topic', topic: '', company: 'company_a' }, undefined, name)).toBe('Name the topic.');
    expect(reachSentence({ ...v, audienceType: 'topic', topic: 'project-42', company: 'company_a' }, 5, name)).toBe(
      'Reaches whoever follows “project-42” in Company A.',
    );
  });

  it('maps violation fields to form fields', () => {
    expect(fieldOf('audience.user_ids')).toBe('userIds');
    expect(fieldOf('audience.user_ids[0]')).toBe('userIds');
    expect(fieldOf('audience.company')).toBe('company');
    expect(fieldOf('audience')).toBe('audienceType');
    expect(fieldOf('title')).toBe('title');
    expect(fieldOf('send_at')).toBe('sendAt');
    expect(fieldOf('audience.topic')).toBe('topic');
    expect(fieldOf('unknown')).toBeNull();
  });

  describe('to a topic', () => {
    const withCompanies = {
      ...base,
      // the sender is of company_a; company_b is there to pick
      'GET /api/auth/me': { status: 200, body: { id: 'a-1', username: 'admin', company: 'company_a', roles: ['admin', 'user'] } },
      'GET /api/auth/companies': {
        status: 200,
        body: [
          { slug: 'company_a', name: 'Company A' },
          { slug: 'company_b', name: 'Company B' },
        ],
      },
    };

    it("sends {type: topic, topic, company} to the sender's company, checking the key before sending", async () => {
      signInAsAdmin();
      const calls = mockApi({
        ...withCompanies,
        'POST /api/notifications': (call) => ({ status: 201, body: { id: 'n-7', ...(call.body as object) } }),
      });
      renderWithApp(<ComposePage />);
      await userEvent.click(screen.getByRole('radio', { name: 'Topic' }));
      await waitFor(() => expect(screen.getByRole('combobox', { name: 'Company' })).toHaveValue('company_a'));
      expect(screen.getByTestId('reach')).toHaveTextContent('Name the topic.');
      await userEvent.type(screen.getByLabelText('Title'), 'Invoice paid');
      await userEvent.type(screen.getByLabelText('Message'), 'Thanks');

      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
      expect(await screen.findByText('Name the topic, e.g. project-42')).toBeInTheDocument();
      await userEvent.type(screen.getByRole('textbox', { name: 'Topic' }), '-project 42');
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
      await waitFor(() => expect(screen.getByRole('textbox', { name: 'Topic' })).toHaveAccessibleDescription(/^Up to 128 letters, digits/));
      expect(screen.getByRole('textbox', { name: 'Topic' })).toHaveAttribute('aria-invalid', 'true');
      expect(calls.some((c) => c.method === 'POST')).toBe(false);

      await userEvent.clear(screen.getByRole('textbox', { name: 'Topic' }));
      await userEvent.type(screen.getByRole('textbox', { name: 'Topic' }), 'invoice-1001');
      expect(screen.getByTestId('reach')).toHaveTextContent('Reaches whoever follows “invoice-1001” in Company A.');
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
      expect(await screen.findByTestId('send-result')).toHaveTextContent('Sent “Invoice paid” to topic invoice-1001 in company_a.');
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        audience: { type: 'topic', topic: 'invoice-1001', company: 'company_a' },
        title: 'Invoice paid',
        message: 'Thanks',
        type: 'general',
        priority: 'normal',
      });
      // ready for the next one, to the same topic
      expect(screen.getByRole('textbox', { name: 'Topic' })).toHaveValue('invoice-1001');
      expect(calls.some((c) => c.url === '/api/auth/users/count')).toBe(false); // the directory does not count followers
    });

    it("sends to another company's topic when picked, and shows the service's problem on the field it names", async () => {
      signInAsAdmin();
      const calls = mockApi({
        ...withCompanies,
        'POST /api/notifications': {
          status: 400,
          body: {
            title: 'Bad Request',
            status: 400,
            detail: 'audience.company: not a company you may notify',
            violations: [{ field: 'audience.company', in: 'body', message: 'not a company you may notify' }],
          },
        },
      });
      renderWithApp(<ComposePage />);
      await userEvent.click(screen.getByRole('radio', { name: 'Topic' }));
      await waitFor(() => expect(screen.getByRole('combobox', { name: 'Company' })).toHaveValue('company_a'));
      await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Company' }), 'Company B');
      await userEvent.type(screen.getByRole('textbox', { name: 'Topic' }), 'project-42');
      await userEvent.type(screen.getByLabelText('Title'), 'T');
      await userEvent.type(screen.getByLabelText('Message'), 'M');
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('Not sent: audience.company: not a company you may notify');
      expect(screen.getByRole('combobox', { name: 'Company' })).toHaveAttribute('aria-invalid', 'true');
      expect(screen.getByRole('combobox', { name: 'Company' })).toHaveAccessibleDescription('not a company you may notify');
      expect((calls.find((c) => c.method === 'POST')?.body as { audience: unknown }).audience).toEqual({
        type: 'topic',
        topic: 'project-42',
        company: 'company_b',
      });
    });
  });
});
