import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { notification } from '../../client/test/frames';
import { Inbox, NotificationBell, NotifyProvider, Preferences, useUnreadCount, useUnseenCount } from '../src';
import { mount, services } from './mount';
import { stored } from './server';

// The components against a real HTTP server (test/server.ts, the inbox's REST calls) and a real WebSocket
// server (the client package's test gateway) over real sockets (test/mount.tsx): what a user sees in the bell and the
// inbox as notifications arrive, and what reaches the services when they act on them.

function Counts() {
  return <span data-testid="counts">{`unread ${useUnreadCount()}, unseen ${useUnseenCount()}`}</span>;
}

const bell = () => screen.getByRole('button', { name: /^Notifications/ });

describe('<NotificationBell/>', () => {
  it('counts new ones, lists a live notification in its popover, and marks it read on the server', async () => {
    const { api, gateway } = await mount(<NotificationBell />, { seed: [stored('n1', 1, true), stored('n2', 2)] });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 new'));
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(gateway.connections).toHaveLength(1));
    expect(gateway.latest().token).toBe('tok-user1');

    fireEvent.click(bell());
    const panel = screen.getByRole('dialog', { name: 'Notifications' });
    expect(bell().getAttribute('aria-expanded')).toBe('true');
    expect(bell().getAttribute('aria-controls')).toBe(panel.id);
    expect(document.activeElement).toBe(panel);
    await within(panel).findByRole('article', { name: 'Unread: t2' });
    within(panel).getByRole('article', { name: 't1' });

    // a notification arrives live: the badge counts it, the open popover lists it first, the gateway gets its ack
    api.items.push(stored('n3', 3));
    gateway.latest().send({ ...notification('n3', 3), payload: stored('n3', 3) });
    await within(panel).findByRole('article', { name: 'Unread: t3' });
    expect(within(panel).getAllByRole('article')).toHaveLength(3);
    expect(within(panel).getAllByRole('heading', { level: 3 })[0]?.textContent).toBe('Unread: t3');
    expect(within(panel).getByRole('article', { name: 'Unread: t3' }).textContent).toContain('m3');
    expect(within(panel).getByRole('article', { name: 'Unread: t3' }).querySelector('time')?.textContent).toBe('5 minutes ago');
    // (opening the bell made t2 seen: the badge counts the new one only)
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 new');
    expect(screen.getByTestId('notify-badge').textContent).toBe('1');
    await waitFor(() => expect(gateway.latest().frames).toContainEqual({ type: 'ack', ids: ['n3'] }));

    fireEvent.click(within(panel).getByRole('button', { name: 'Mark read "t3"' }));
    await within(panel).findByRole('article', { name: 't3' });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications'));
    await waitFor(() =>
      expect(api.requests.find((r) => r.url === '/api/notifications/n3/read')).toMatchObject({ method: 'POST', authorization: 'Bearer tok-user1' }),
    );

    // Escape closes it and gives focus back to the bell
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(bell());
    expect(panel.hidden).toBe(true);
  });

  it("shows unseen (not unread) on its badge: opening marks seen once up to the newest shown, a new one raises it, another tab's all_seen clears it", async () => {
    const { api, gateway } = await mount(
      <>
        <NotificationBell />
        <Counts />
      </>,
      { seed: [stored('n1', 1), stored('n2', 2)] },
    );
    await waitFor(() => expect(screen.getByTestId('notify-badge').textContent).toBe('2'));
    const seen = () => api.requests.filter((r) => r.url === '/api/notifications/seen');

    fireEvent.click(bell());
    await waitFor(() => expect(seen().map((r) => `${r.method} ${r.body}`)).toEqual(['POST {"up_to":2}']));
    expect(screen.queryByTestId('notify-badge')).toBeNull();
    expect(bell().getAttribute('aria-label')).toBe('Notifications');
    // seen is not read: both stay unread, in the popover and in the count
    await screen.findByRole('article', { name: 'Unread: t2' });
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 2, unseen 0'));

    // closing and opening again with nothing new: no call
    fireEvent.click(bell());
    fireEvent.click(bell());
    expect(seen()).toHaveLength(1);
    fireEvent.click(bell());

    api.items.push(stored('n3', 3));
    gateway.latest().send({ ...notification('n3', 3), payload: stored('n3', 3) });
    await waitFor(() => expect(screen.getByTestId('notify-badge').textContent).toBe('1'));
    expect(screen.getByTestId('counts').textContent).toBe('unread 3, unseen 1');

    // another tab opened its bell: the server's watermark moved and every socket hears it
    await fetch(`${api.baseUrl}/api/notifications/seen`, { method: 'POST', headers: { authorization: 'Bearer tok-other-tab' }, body: '{}' });
    gateway.latest().send({ type: 'all_seen', seen_up_to: 3, seq: 4 });
    await waitFor(() => expect(screen.queryByTestId('notify-badge')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 3, unseen 0'));
  });

  it("offers a notification's action buttons in the popover's rows, completes one over REST and shows another tab's live", async () => {
    const actions = [
      { id: 'approve', label: 'Approve', style: 'primary' },
      { id: 'reject', label: 'Reject', style: 'danger' },
    ];
    const { api, gateway } = await mount(<NotificationBell />, { seed: [{ ...stored('n1', 1), actions }, { ...stored('n2', 2), actions }] });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 new'));
    fireEvent.click(bell());
    const panel = screen.getByRole('dialog', { name: 'Notifications' });
    const row = (title: string) => within(panel).getByRole('article', { name: `Unread: ${title}` });
    await within(panel).findByRole('article', { name: 'Unread: t1' });

    fireEvent.click(within(row('t1')).getByRole('button', { name: 'Approve "t1"' }));
    expect((await within(row('t1')).findByRole('status')).textContent).toBe('✓ Done: Approve · now');
    expect(within(row('t1')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
    expect(api.requests.find((r) => r.url === '/api/notifications/n1/actions/approve')).toMatchObject({ method: 'POST', authorization: 'Bearer tok-user1' });

    gateway.latest().send({ type: 'action_completed', notification_id: 'n2', action_id: 'reject', completed_at: new Date().toISOString(), seq: 10 });
    await waitFor(() => expect(row('t2').textContent).toContain('Done: Reject'));
    expect(within(row('t2')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
    // the popover stays open through it all
    expect(bell().getAttribute('aria-expanded')).toBe('true');
  });

  it('closes on a click outside', async () => {
    await mount(
      <>
        <button type="button">elsewhere</button>
        <NotificationBell />
      </>,
    );
    fireEvent.click(bell());
    expect(screen.getByRole('dialog')).toBeTruthy();
    fireEvent.pointerDown(screen.getByRole('button', { name: 'elsewhere' }));
    expect(bell().getAttribute('aria-expanded')).toBe('false');
  });
});

describe('<Inbox/>', () => {
  it('follows reads and deletes from other devices, and reloads over REST on resync', async () => {
    const { api, gateway } = await mount(<Inbox />);
    await screen.findByText('You are all caught up.');
    api.items.push(stored('n1', 1), stored('n2', 2));
    gateway.latest().send({ type: 'resync', last_seq: 0, reason: 'gap' });
    await screen.findByRole('article', { name: 'Unread: t2' });

    gateway.latest().send({ type: 'notification_read', notification_id: 'n2' });
    await screen.findByRole('article', { name: 't2' });
    gateway.latest().send({ type: 'notification_deleted', notification_id: 'n1' });
    await waitFor(() => expect(screen.queryByRole('article', { name: /t1/ })).toBeNull());
  });

  it('archives a row on the server (out of the list and the count), and follows archives and unarchives from other tabs', async () => {
    const { api, gateway } = await mount(
      <>
        <Inbox />
        <Counts />
      </>,
      { seed: [stored('n1', 1), stored('n2', 2), stored('n3', 3, true)] },
    );
    await screen.findByRole('article', { name: 'Unread: t2' });
    fireEvent.click(screen.getByRole('button', { name: 'Archive "t2"' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /t2/ })).toBeNull());
    await waitFor(() => expect(api.calls()).toContain('POST /api/notifications/n2/archive'));
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 1, unseen 1'));
    expect(api.items.find((n) => n.id === 'n2')).toMatchObject({ archived: true, read: true });

    // another tab archived t1, then unarchived t2: out of the list, and back in its place
    const t1 = api.items.find((n) => n.id === 'n1');
    Object.assign(t1 ?? {}, { archived: true, read: true });
    gateway.latest().send({ type: 'notification_archived', notification_id: 'n1', seq: 10 });
    await waitFor(() => expect(screen.queryByRole('article', { name: /t1/ })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 0, unseen 0'));
    Object.assign(api.items.find((n) => n.id === 'n2') ?? {}, { archived: false });
    gateway.latest().send({ type: 'notification_unarchived', notification_id: 'n2', seq: 11 });
    await screen.findByRole('article', { name: 't2' });
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['t3', 't2']);
  });

  it('snoozes a row from its menu (out of the list and the count until then), and puts it back unread when it resurfaces', async () => {
    const { api, gateway } = await mount(
      <>
        <Inbox />
        <Counts />
      </>,
      { seed: [stored('n1', 1), stored('n2', 2, true), stored('n3', 3)] },
    );
    const row = await screen.findByRole('article', { name: 'Unread: t3' });
    fireEvent.click(within(row).getByText(/^Snooze/, { selector: 'summary' }));
    fireEvent.click(screen.getByRole('button', { name: 'In 1 hour (snooze "t3")' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /t3/ })).toBeNull());
    await waitFor(() => expect(api.calls()).toContain('POST /api/notifications/n3/snooze'));
    const until = Date.parse(api.items.find((n) => n.id === 'n3')?.snoozed_until ?? '');
    expect(until - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 1, unseen 1'));

    // its time came: back, unread, pushed again with resurfaced
    Object.assign(api.items.find((n) => n.id === 'n2') ?? {}, { snoozed_until: '2000-01-01T00:00:00Z' });
    gateway.latest().send({ type: 'notification_snoozed', notification_id: 'n2', until: '2030-01-01T00:00:00Z', seq: 10 });
    await waitFor(() => expect(screen.queryByRole('article', { name: /t2/ })).toBeNull());
    const n3 = api.items.find((n) => n.id === 'n3');
    Object.assign(n3 ?? {}, { snoozed_until: undefined, read: false });
    gateway.latest().send({ ...notification('n3', 11), resurfaced: true, payload: { ...notification('n3', 11).payload, title: 't3' } });
    await screen.findByRole('article', { name: 'Unread: t3' });
    await waitFor(() => expect(screen.getByTestId('counts').textContent).toBe('unread 2, unseen 2'));
  });

  it("offers a notification's action buttons, records the one pressed (the others disabled meanwhile), follows other tabs' and shows a conflict", async () => {
    const choices = [
      { id: 'approve', label: 'Approve', style: 'primary' },
      { id: 'reject', label: 'Reject', style: 'danger' },
    ];
    const withChoices = (id: string, seq: number) => ({ ...stored(id, seq), actions: choices });
    const { api, gateway } = await mount(<Inbox />, {
      seed: [withChoices('n1', 1), withChoices('n2', 2), withChoices('n3', 3), { ...stored('n4', 4), title: 'plain' }],
    });
    const row = (title: string) => screen.getByRole('article', { name: new RegExp(`${title}$`) });
    await screen.findByRole('article', { name: 'Unread: t1' });
    expect(within(row('plain')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
    const approve = within(row('t1')).getByRole('button', { name: 'Approve "t1"' });
    expect(approve.className).toContain('notify-button--primary');
    expect(within(row('t1')).getByRole('button', { name: 'Reject "t1"' }).className).toContain('notify-button--danger');

    // pressed: both disabled until the server answers, then which one and when, announced; the others gone
    const release = api.holdActions();
    fireEvent.click(approve);
    await waitFor(() => expect(api.calls()).toContain('POST /api/notifications/n1/actions/approve'));
    expect(approve).toHaveProperty('disabled', true);
    expect(approve.getAttribute('aria-busy')).toBe('true');
    expect(within(row('t1')).getByRole('button', { name: 'Reject "t1"' })).toHaveProperty('disabled', true);
    release();
    const done = await within(row('t1')).findByRole('status');
    expect(done.textContent).toBe('✓ Done: Approve · now');
    expect(within(row('t1')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
    expect(api.items.find((n) => n.id === 'n1')?.completed_action?.action_id).toBe('approve');

    // another tab (or device) completed one: shown done from the frame alone
    const calls = api.calls().length;
    gateway.latest().send({ type: 'action_completed', notification_id: 'n2', action_id: 'reject', completed_at: new Date().toISOString(), seq: 10 });
    await waitFor(() => expect(row('t2').textContent).toContain('Done: Reject'));
    expect(within(row('t2')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
    expect(api.calls()).toHaveLength(calls);

    // completed elsewhere before this tab heard of it: the 409 is told, and the row shows the one chosen
    Object.assign(api.items.find((n) => n.id === 'n3') ?? {}, { completed_action: { action_id: 'reject', completed_at: new Date().toISOString() } });
    fireEvent.click(within(row('t3')).getByRole('button', { name: 'Approve "t3"' }));
    const alert = await within(row('t3')).findByRole('alert');
    expect(alert.textContent).toBe('Already answered: “Reject” was chosen before.');
    await waitFor(() => expect(row('t3').textContent).toContain('Done: Reject'));
    expect(within(row('t3')).queryAllByRole('button', { name: /Approve|Reject/ })).toHaveLength(0);
  });

  it('shows the connection: live, reconnecting when the socket drops, live again', async () => {
    const { gateway } = await mount(<Inbox />);
    await screen.findByText('Live');
    gateway.latest().kill();
    await screen.findByText('Reconnecting…');
    await screen.findByText('Live');
    expect(gateway.connections).toHaveLength(2);
  });

  it('keeps a notification that arrives live while the inbox page is still loading', async () => {
    const { api, gateway } = await services();
    api.items.push(stored('n1', 1));
    const release = api.holdList();
    render(
      <NotifyProvider baseUrl={api.baseUrl} socketUrl={gateway.url} token={async () => 'tok-user1'} WebSocketImpl={NodeWebSocket as unknown as typeof WebSocket}>
        <Inbox />
      </NotifyProvider>,
    );
    await waitFor(() => expect(api.calls()).toContain('GET /api/notifications?limit=20'));
    await waitFor(() => expect(gateway.connections).toHaveLength(1));
    gateway.latest().send({ ...notification('n2', 2), payload: stored('n2', 2) }); // after the page was read
    await waitFor(() => expect(gateway.latest().frames).toContainEqual({ type: 'ack', ids: ['n2'] }));
    release();
    await screen.findByRole('article', { name: 'Unread: t1' });
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Unread: t2', 'Unread: t1']);
  });

  it('marks all read up to the newest shown, and deletes on the server', async () => {
    const { api } = await mount(<Inbox />, { seed: [stored('n1', 1), stored('n2', 2)] });
    await screen.findByRole('article', { name: 'Unread: t2' });
    api.items.push(stored('n3', 3)); // stored, not shown yet: it stays unread
    fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await screen.findByRole('article', { name: 't2' });
    screen.getByRole('article', { name: 't1' });
    await waitFor(() => expect(api.calls()).toContain('POST /api/notifications/read-all?up_to=2'));
    expect(api.items.find((n) => n.id === 'n3')?.read).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Delete "t1"' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 't1' })).toBeNull());
    await waitFor(() => expect(api.calls()).toContain('DELETE /api/notifications/n1'));
  });
});

describe('<Preferences/>', () => {
  it('lists the types with switches (off as saved) and saves a change', async () => {
    const { api } = await mount(<Preferences />);
    const warning = await screen.findByRole('switch', { name: 'Warning' });
    expect((warning as HTMLInputElement).checked).toBe(false);
    const info = screen.getByRole('switch', { name: 'Info' }) as HTMLInputElement;
    expect(info.checked).toBe(true);
    fireEvent.click(info);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const types = screen.getByRole('form', { name: 'Notification preferences' });
    await waitFor(() => expect(within(types).getByRole('status').textContent).toBe('Saved'));
    expect(JSON.parse(api.requests.find((r) => r.method === 'PUT')?.body ?? '{}')).toEqual({ types: { warning: false, info: false } });
    expect((screen.getByRole('switch', { name: 'Info' }) as HTMLInputElement).checked).toBe(false);
  });
});

describe("token: 'cookie'", () => {
  it("takes its token from the session cookie's refresh, with the CSRF header", async () => {
    const { api, gateway } = await mount(<Inbox />, { token: 'cookie' });
    await screen.findByText('You are all caught up.');
    expect(api.requests.find((r) => r.url === '/api/auth/session/refresh')).toMatchObject({ method: 'POST', csrf: '1' });
    expect(api.requests.find((r) => r.url?.startsWith('/api/notifications'))?.authorization).toBe('Bearer tok-from-cookie');
    expect(gateway.latest().token).toBe('tok-from-cookie');
  });
});
