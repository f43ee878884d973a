import { describe, expect, it } from 'vitest';
import { applyLiveEvent, followUp, type InboxPages } from '../src/inbox';
import type { Notification } from '../src/rest';

// The one implementation of "a live event changes the inbox" (the dashboard's caches and @notify/react's
// store both go through it): what a reader sees after each kind of event.

const n = (seq: number, extra: Partial<Notification> = {}) =>
  ({ id: `n${seq}`, seq, title: `t${seq}`, type: 'info', priority: 'normal', read: false, ...extra }) as Notification;
const ids = (pages: InboxPages) => pages.map((page) => page.map((x) => x.id));
const arrives = (x: Notification) => ({ type: 'notification', id: x.id as string, seq: x.seq as number, payload: x }) as const;

describe('applyLiveEvent', () => {
  it('puts a new notification first, counted unread, and a redelivered one nowhere', () => {
    const pages = [[n(3), n(2)], [n(1)]];
    const first = applyLiveEvent(pages, arrives(n(4)));
    expect(ids(first.pages)).toEqual([['n4', 'n3', 'n2'], ['n1']]);
    expect(first).toMatchObject({ unread: 1, follow: 'none' });

    const again = applyLiveEvent(first.pages, arrives(n(4)));
    expect(again.pages).toBe(first.pages);
    expect(again.unread).toBe(0);
    expect(applyLiveEvent(pages, arrives(n(1))).pages).toBe(pages); // held on a later page
  });

  it('keeps seq order when a live one overtakes another, and drops the oldest beyond the limit', () => {
    const change = applyLiveEvent([[n(5), n(3)]], arrives(n(4)), { limit: 2 });
    expect(ids(change.pages)).toEqual([['n5', 'n4']]);
    // a page already longer than the limit keeps its length (the oldest drops off)
    expect(ids(applyLiveEvent([[n(5), n(3), n(2)]], arrives(n(6)), { limit: 2 }).pages)).toEqual([['n6', 'n5', 'n3']]);
  });

  it("leaves a new notification out of a view whose filters do not take it, and an already read one uncounted", () => {
    const urgentOnly = { accepts: (x: Notification) => x.priority === 'urgent' };
    expect(applyLiveEvent([[n(1)]], arrives(n(2)), urgentOnly).pages).toEqual([[n(1)]]);
    expect(ids(applyLiveEvent([[n(1)]], arrives(n(2, { priority: 'urgent' })), urgentOnly).pages)).toEqual([['n2', 'n1']]);
    expect(applyLiveEvent([[]], arrives(n(2, { read: true }))).unread).toBe(0);
    expect(ids(applyLiveEvent([], arrives(n(1))).pages)).toEqual([['n1']]); // nothing loaded yet
  });

  it('marks one read on any page, and asks for the count (the read may be beyond the pages)', () => {
    const change = applyLiveEvent([[n(3)], [n(2), n(1)]], { type: 'notification_read', notification_id: 'n2' });
    expect(change.pages.flat().map((x) => x.read)).toEqual([false, true, false]);
    expect(change).toMatchObject({ unread: -1, follow: 'count' });

    const unknown = applyLiveEvent(change.pages, { type: 'notification_read', notification_id: 'n2' });
    expect(unknown).toMatchObject({ pages: change.pages, unread: 0, follow: 'count' });
  });

  it("records the action the reader completed on the item, counts untouched, and keeps the first one's completion", () => {
    const done = { type: 'action_completed', notification_id: 'n2', action_id: 'approve', completed_at: '2026-12-06T09:00:00Z', seq: 9 } as const;
    const change = applyLiveEvent([[n(3)], [n(2), n(1)]], done);
    expect(change.pages.flat().map((x) => x.completed_action)).toEqual([undefined, { action_id: 'approve', completed_at: '2026-12-06T09:00:00Z' }, undefined]);
    expect(change).toMatchObject({ unread: 0, unseen: 0, follow: 'none' });

    // another tab's replay, or a late answer naming another action: the first stands, nothing changes
    const again = applyLiveEvent(change.pages, { ...done, action_id: 'reject' });
    expect(again.pages).toBe(change.pages);
    expect(applyLiveEvent([[n(3)]], done).pages).toEqual([[n(3)]]); // not loaded here
    expect(followUp(done)).toBe('none');
  });

  it('marks read everything up to read_up_to, and leaves a newer one unread', () => {
    const change = applyLiveEvent([[n(4), n(3, { read: true }), n(2)], [n(1)]], { type: 'all_read', read_up_to: 3 });
    expect(change.pages.flat().map((x) => [x.id, x.read])).toEqual([
      ['n4', false],
      ['n3', true],
      ['n2', true],
      ['n1', true],
    ]);
    expect(change).toMatchObject({ unread: -2, follow: 'count' });
  });

  it('removes a deleted one, counting it out when it was unread', () => {
    const change = applyLiveEvent([[n(2), n(1, { read: true })]], { type: 'notification_deleted', notification_id: 'n2' });
    expect(ids(change.pages)).toEqual([['n1']]);
    expect(change).toMatchObject({ unread: -1, follow: 'count' });
    expect(applyLiveEvent(change.pages, { type: 'notification_deleted', notification_id: 'n1' }).unread).toBe(0);
  });

  it('reloads after a resync or new preferences, and refreshes the token first when the identity changed', () => {
    const pages = [[n(1)]];
    expect(applyLiveEvent(pages, { type: 'resync', last_seq: 1, reason: 'too far behind' })).toEqual({ pages, unread: 0, unseen: 0, follow: 'reload' });
    expect(applyLiveEvent(pages, { type: 'preferences_updated', preferences: { types: { info: false } }, seq: 2 }).follow).toBe('reload');
    expect(applyLiveEvent(pages, { type: 'identity_changed', company: 'company_b', roles: ['user'] }).follow).toBe('token');
  });

  it('counts a new unread notification unseen too (the badge), a read one neither', () => {
    expect(applyLiveEvent([[n(1)]], arrives(n(2)))).toMatchObject({ unread: 1, unseen: 1 });
    expect(applyLiveEvent([[n(1)]], arrives(n(2, { read: true })))).toMatchObject({ unread: 0, unseen: 0 });
  });

  it('takes an archived one out of the inbox like a delete, and has an archived view reload (it belongs there now)', () => {
    const change = applyLiveEvent([[n(3)], [n(2, { read: true }), n(1)]], { type: 'notification_archived', notification_id: 'n1', seq: 9 });
    expect(ids(change.pages)).toEqual([['n3'], ['n2']]);
    expect(change).toMatchObject({ unread: -1, follow: 'count' });
    expect(applyLiveEvent(change.pages, { type: 'notification_archived', notification_id: 'n2' })).toMatchObject({ unread: 0, follow: 'count' });

    const archived = [[n(5, { read: true })]];
    expect(applyLiveEvent(archived, { type: 'notification_archived', notification_id: 'n3' }, { archived: true })).toEqual({
      pages: archived,
      unread: 0,
      unseen: 0,
      follow: 'reload',
    });
  });

  it('has the inbox reload when one is unarchived (it comes back in its place), and takes it out of an archived view', () => {
    const inbox = [[n(3)]];
    expect(applyLiveEvent(inbox, { type: 'notification_unarchived', notification_id: 'n1', seq: 9 })).toMatchObject({ pages: inbox, follow: 'reload' });
    const archived = applyLiveEvent([[n(2, { read: true }), n(1, { read: true })]], { type: 'notification_unarchived', notification_id: 'n1' }, { archived: true });
    expect(ids(archived.pages)).toEqual([['n2']]);
    expect(archived).toMatchObject({ unread: 0, unseen: 0, follow: 'none' });
  });

  it('takes a snoozed one out (and off the unread count) and puts it back unread when it resurfaces, even where a tab still holds it', () => {
    const snoozed = applyLiveEvent([[n(3), n(2, { read: true })]], { type: 'notification_snoozed', notification_id: 'n3', until: '2026-12-07T08:00:00Z', seq: 9 });
    expect(ids(snoozed.pages)).toEqual([['n2']]);
    expect(snoozed).toMatchObject({ unread: -1, follow: 'count' });

    const back = { type: 'notification', id: 'n2', seq: 12, resurfaced: true, payload: n(2, { seq: 12, read: false }) } as const;
    const held = applyLiveEvent(snoozed.pages, back);
    expect(held.pages.flat()).toEqual([n(2, { seq: 12, read: false })]);
    expect(held).toMatchObject({ unread: 1, unseen: 1, follow: 'count' });
    const missing = applyLiveEvent([[n(5)]], back);
    expect(ids(missing.pages)).toEqual([['n2', 'n5']]);
    expect(missing).toMatchObject({ unread: 1, follow: 'none' });
    expect(applyLiveEvent([[n(1, { read: true })]], back, { archived: true }).pages).toEqual([[n(1, { read: true })]]);
    expect(followUp({ type: 'notification_unsnoozed', notification_id: 'n1', seq: 13 })).toBe('reload');
  });

  it('never puts a new notification into an archived view', () => {
    const archived = [[n(1, { read: true })]];
    expect(applyLiveEvent(archived, arrives(n(2)), { archived: true })).toMatchObject({ pages: archived, unread: 0, unseen: 0, follow: 'none' });
  });

  it('leaves the pages and the unread count alone on all_seen (seen is not read) and asks for the counts', () => {
    const pages = [[n(2), n(1)]];
    expect(applyLiveEvent(pages, { type: 'all_seen', seen_up_to: 2, seq: 7 })).toEqual({ pages, unread: 0, unseen: 0, follow: 'count' });
    expect(followUp({ type: 'all_seen', seen_up_to: 2 })).toBe('count');
    expect(followUp({ type: 'notification_unarchived', notification_id: 'n1' })).toBe('reload');
  });
  it("keeps the pages when a topic is followed (only what is sent from now on comes), and reloads when one is unfollowed (its notifications left)", () => {
    const pages = [[n(2), n(1)]];
    const followed = { type: 'subscription_changed', topic: 'project-42', subscribed: true, seq: 8 } as const;
    expect(applyLiveEvent(pages, followed)).toEqual({ pages, unread: 0, unseen: 0, follow: 'none' });
    expect(applyLiveEvent(pages, { ...followed, subscribed: false, seq: 9 })).toEqual({ pages, unread: 0, unseen: 0, follow: 'reload' });
    expect(followUp({ ...followed, subscribed: false })).toBe('reload');
  });
});
