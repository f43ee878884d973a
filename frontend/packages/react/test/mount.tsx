import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startGateway } from '../../client/test/gateway';
import { NotifyProvider, useConnection } from '../src';
import { startApi, stored } from './server';

// What the component tests share: a real HTTP server (./server) and a real WebSocket server (the client package's
// test gateway) per test, closed after it, and a provider signed in as user1 on both.

configure({ asyncUtilTimeout: 10_000 });
const running: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(running.splice(0).map((r) => r.close()));
});

export async function services() {
  const api = await startApi();
  const gateway = await startGateway();
  running.push(api, gateway);
  return { api, gateway };
}

function Live() {
  return <span data-testid="status">{useConnection()}</span>;
}

type Api = Awaited<ReturnType<typeof startApi>>;

/** `ui` under a provider on fresh services (the inbox seeded with `seed`, then `prepare`d), once its socket is connected. */
export async function mount(
  ui: React.ReactNode,
  { token, seed = [], prepare }: { token?: 'cookie'; seed?: ReturnType<typeof stored>[]; prepare?: (api: Api) => void } = {},
) {
  const { api, gateway } = await services();
  api.items.push(...seed);
  prepare?.(api);
  render(
    <NotifyProvider
      baseUrl={api.baseUrl}
      socketUrl={gateway.url}
      token={token ?? (async () => 'tok-user1')}
      WebSocketImpl={NodeWebSocket as unknown as typeof WebSocket}
    >
      <Live />
      {ui}
    </NotifyProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('connected'));
  return { api, gateway };
}
