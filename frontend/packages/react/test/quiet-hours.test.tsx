import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Notification } from '@notify/client';
import { notification } from '../../client/test/frames';
import { startGateway } from '../../client/test/gateway';
import { NotifyProvider, useUnreadCount } from '../src';
import { startApi, stored } from './server';

// Quiet hours (issue 25): a notification pushed with `silent: true` is in the inbox and counted like any other,
// but the host is not asked to announce it (no toast, no sound); urgent ones are never silent (the gateway's rule).

configure({ asyncUtilTimeout: 10_000 });
const running: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(running.splice(0).map((r) => r.close()));
});

function Count() {
  return <span data-testid="unread">{useUnreadCount()}</span>;
}

describe('onNotification and silent pushes', () => {
  it('announces a live notification, not a silent one, and counts both', async () => {
    const api = await startApi();
    const gateway = await startGateway();
    running.push(api, gateway);
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
