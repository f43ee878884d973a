import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FollowTopicButton, useTopicSubscription } from '../src';
import { mount } from './mount';

// Topics (issue 25) in an embedding app: a Follow toggle per topic and the hook under it, against the test server's
// GET /api/topics and PUT/DELETE /api/topics/{key}/subscription (test/server.ts).

const follow = (topic: string) => screen.getAllByRole('button', { name: `Follow ${topic}` });
const pressed = (topic: string) => follow(topic).map((b) => b.getAttribute('aria-pressed'));

function TopicState({ topic }: { topic: string }) {
  const { subscribed, loading, error } = useTopicSubscription(topic);
  return <span data-testid="state">{`${subscribed ? 'subscribed' : 'not subscribed'}${loading ? ', loading' : ''}${error ? `, ${error}` : ''}`}</span>;
}

describe('<FollowTopicButton/> and useTopicSubscription', () => {
  it("shows the user's topics pressed, follows and unfollows on the server, busy meanwhile, and every button of the topic follows", async () => {
    const { api } = await mount(
      <>
        <FollowTopicButton topic="project-42" />
        <FollowTopicButton topic="invoice-1001" />
        <FollowTopicButton topic="invoice-1001" label="Watch" topicName="Invoice 1001" />
        <TopicState topic="invoice-1001" />
      </>,
      { prepare: (api) => api.topics.add('project-42') },
    );
    await waitFor(() => expect(pressed('project-42')).toEqual(['true']));
    expect(pressed('invoice-1001')).toEqual(['false']);
    expect(screen.getByRole('button', { name: 'Watch Invoice 1001' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('state').textContent).toBe('not subscribed');
    // one load for every button and hook
    expect(api.calls().filter((c) => c === 'GET /api/topics')).toEqual(['GET /api/topics']);

    const release = api.holdTopics();
    fireEvent.click(follow('invoice-1001')[0]!);
    await waitFor(() => expect(api.calls()).toContain('PUT /api/topics/invoice-1001/subscription'));
    expect(follow('invoice-1001')[0]).toHaveProperty('disabled', true);
    expect(follow('invoice-1001')[0]?.getAttribute('aria-busy')).toBe('true');
    release();
    await waitFor(() => expect(pressed('invoice-1001')).toEqual(['true']));
    // the other button and the hook of the same topic follow; the button's name stays
    expect(screen.getByRole('button', { name: 'Watch Invoice 1001' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('state').textContent).toBe('subscribed');
    expect([...api.topics].sort()).toEqual(['invoice-1001', 'project-42']);
    expect(api.requests.find((r) => r.url === '/api/topics/invoice-1001/subscription')?.authorization).toBe('Bearer tok-user1');

    // unfollowing: its notifications leave the inbox, which reloads
    const lists = () => api.calls().filter((c) => c.startsWith('GET /api/notifications?')).length;
    const before = lists();
    fireEvent.click(follow('project-42')[0]!);
    await waitFor(() => expect(pressed('project-42')).toEqual(['false']));
    expect(api.calls()).toContain('DELETE /api/topics/project-42/subscription');
    expect([...api.topics]).toEqual(['invoice-1001']);
    await waitFor(() => expect(lists()).toBe(before + 1));
  });

  it("announces what the service refused (its problem's detail) and keeps the state; a key it would refuse is told without a call", async () => {
    const { api } = await mount(
      <>
        <FollowTopicButton topic="project-42" />
        <FollowTopicButton topic="project 42" />
      </>,
    );
    await waitFor(() => expect(pressed('project-42')).toEqual(['false']));
    api.failNextTopicCall(403, { title: 'Forbidden', detail: 'Topics are switched off for company_a.' });
    fireEvent.click(follow('project-42')[0]!);
    expect((await screen.findByRole('alert')).textContent).toBe('Topics are switched off for company_a.');
    expect(pressed('project-42')).toEqual(['false']);
    expect(follow('project-42')[0]).toHaveProperty('disabled', false);

    // pressed again: the alert goes, and this time it counts
    fireEvent.click(follow('project-42')[0]!);
    await waitFor(() => expect(pressed('project-42')).toEqual(['true']));
    expect(screen.queryByRole('alert')).toBeNull();

    const calls = api.calls().length;
    fireEvent.click(follow('project 42')[0]!);
    expect((await screen.findByRole('alert')).textContent).toBe('“project 42” is not a topic key: 1 to 128 letters, digits and . _ : - (a letter or digit first).');
    expect(api.calls()).toHaveLength(calls);
  });

  it('says why the topics could not be loaded, and loads them with the next change', async () => {
    const { api } = await mount(
      <>
        <FollowTopicButton topic="project-42" />
        <TopicState topic="project-42" />
      </>,
      { prepare: (api) => api.failNextTopicCall(503, { title: 'Service Unavailable' }) },
    );
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('not subscribed, Your topics could not be loaded: Service Unavailable'));
    expect(follow('project-42')[0]).toHaveProperty('disabled', false);
    fireEvent.click(follow('project-42')[0]!);
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('subscribed'));
    expect(api.calls().filter((c) => c.includes('/api/topics'))).toEqual([
      'GET /api/topics',
      'PUT /api/topics/project-42/subscription',
      'GET /api/topics',
    ]);
  });

  it("loads the topics again when the user moves to another company (identity_changed): that company's topics", async () => {
    const { api, gateway } = await mount(<FollowTopicButton topic="project-42" />, { prepare: (api) => api.topics.add('project-42') });
    await waitFor(() => expect(pressed('project-42')).toEqual(['true']));
    api.topics.clear(); // (company_b: user1 follows nothing there)
    gateway.latest().send({ type: 'identity_changed', company: 'company_b', roles: ['user'], seq: 9 });
    await waitFor(() => expect(pressed('project-42')).toEqual(['false']));
    expect(api.calls().filter((c) => c === 'GET /api/topics')).toHaveLength(2);
  });
  it('follows what another tab or device did (the pushed subscription_changed), and reloads the inbox when a topic is unfollowed', async () => {
    const { api, gateway } = await mount(
      <>
        <FollowTopicButton topic="project-42" />
        <FollowTopicButton topic="invoice-1001" />
      </>,
      { prepare: (api) => api.topics.add('project-42') },
    );
    await waitFor(() => expect(pressed('project-42')).toEqual(['true']));
    const lists = () => api.calls().filter((c) => c.startsWith('GET /api/notifications?')).length;
    const before = lists();

    gateway.latest().send({ type: 'subscription_changed', seq: 30, topic: 'invoice-1001', subscribed: true });
    await waitFor(() => expect(pressed('invoice-1001')).toEqual(['true']));
    gateway.latest().send({ type: 'subscription_changed', seq: 31, topic: 'project-42', subscribed: false });
    await waitFor(() => expect(pressed('project-42')).toEqual(['false']));
    await waitFor(() => expect(lists()).toBe(before + 1));
    expect(pressed('invoice-1001')).toEqual(['true']);
    // from the frames alone: no call beyond the one load of the topics and the inbox's reload
    expect(api.calls().filter((c) => c.includes('/api/topics'))).toEqual(['GET /api/topics']);
  });
});
