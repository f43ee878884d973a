import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One socket the client opened on the test gateway: what it sent, and the bearer token it carried. */
export interface Connection {
  token: string | undefined;
  frames: Record<string, unknown>[];
  openedAt: number;
  send(frame: object): void;
  /** the socket dies without a close handshake (a crashed gateway, a lost network) */
  kill(): void;
  ws: WebSocket;
}

/**
 * A real WebSocket server on 127.0.0.1 (random port) that the test scripts as the gateway: it accepts
 * the browser's way of authenticating (the `bearer-token-carrier` subprotocol) and records every frame.
 */
export async function startGateway(options: { refuse?: () => boolean } = {}) {
  const connections: Connection[] = [];
  const refused: number[] = [];
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => {
      if (options.refuse?.()) {
        refused.push(Date.now());
        done(false, 401);
      } else {
        done(true);
      }
    },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws, req) => {
    const carrier = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => decodeURIComponent(p.trim()));
    const bearer = carrier.find((p) => p.startsWith('quarkus-http-upgrade#Authorization#Bearer '));
    const connection: Connection = {
      token: bearer?.slice('quarkus-http-upgrade#Authorization#Bearer '.length),
      frames: [],
      openedAt: Date.now(),
      send: (frame) => ws.send(JSON.stringify(frame)),
      kill: () => ws.terminate(),
      ws,
    };
    ws.on('message', (data) => connection.frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    connections.push(connection);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/ws`,
    connections,
    refused,
    latest: () => connections[connections.length - 1] as Connection,
    close: () =>
      new Promise<void>((resolve) => {
        server.clients.forEach((c) => c.terminate());
        server.close(() => resolve());
      }),
  };
}
