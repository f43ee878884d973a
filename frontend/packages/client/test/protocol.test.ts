/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contractPath, generate, outputPath } from '../scripts/protocol-types.mjs';
import { FakeSocket } from './fake-socket';
import { CLIENT_FRAME_TYPES, SERVER_FRAME_TYPES } from '../src/protocol.gen';
import { LiveSocket, type LiveEvent } from '../src/socket';

// The frontend's half of "one typed definition" for the socket: the frame types come from
// contracts/asyncapi.yaml, and every sample frame of the contract type-checks against them.
const samplesDir = resolve(dirname(contractPath), 'samples', 'socket');
const samples = (direction: 'server' | 'client') =>
  readdirSync(resolve(samplesDir, direction))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(resolve(samplesDir, direction, file), 'utf8');
      return { file, text, frame: JSON.parse(text) as { type: string } & Record<string, unknown> };
    });

describe('protocol.gen.ts', () => {
  it('is generated from the current contract (else run `npm run protocol`)', () => {
    const committed = readFileSync(outputPath, 'utf8');
    const fresh = generate(readFileSync(contractPath, 'utf8'));
    expect(committed, 'packages/client/src/protocol.gen.ts is stale: run `npm run protocol` and commit it').toBe(fresh);
  });

  it('has a sample of every frame type both ways, and no sample of a type it lacks', () => {
    expect([...new Set(samples('server').map((s) => s.frame.type))].sort()).toEqual([...SERVER_FRAME_TYPES].sort());
    expect([...new Set(samples('client').map((s) => s.frame.type))].sort()).toEqual([...CLIENT_FRAME_TYPES].sort());
  });

  it('accepts every sample as its frame type, field for field (tsc on the samples as literals)', () => {
    // each sample becomes a fresh object literal of its frame type: missing, mistyped and unknown fields are errors
    const source = [
      `import type { ClientFrame, ServerFrame } from '../src/protocol.gen';`,
      ...(['server', 'client'] as const).flatMap((direction) =>
        samples(direction).map(
          ({ file, text, frame }, i) =>
            `// ${direction}/${file}\nexport const ${direction}${i}: Extract<${direction === 'server' ? 'ServerFrame' : 'ClientFrame'}, { type: ${JSON.stringify(frame.type)} }> = ${text};`,
        ),
      ),
    ].join('\n');
    const file = resolve(dirname(outputPath), '__samples__.ts');
    const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, types: [], skipLibCheck: true };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) =>
      resolve(name) === file ? ts.createSourceFile(name, source, version) : read(name, version, ...rest);
    const program = ts.createProgram([file], options, host);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${d.file?.fileName === file ? source.split('\n')[where - 1] : d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    expect(errors).toEqual([]);
  });
});

describe('LiveSocket and the contract', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('hands every state-changing sample frame to the app and takes every other one without failing', async () => {
    const events: LiveEvent[] = [];
    const live = new LiveSocket({
      url: 'ws://test/api/ws',
      token: async () => 'tok',
      onEvent: (e) => events.push(e),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      isOnline: () => true,
    });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    const gateway = FakeSocket.latest();
    gateway.open();
    const pushed = samples('server').filter((s) => s.frame.type !== 'reconnect');
    for (const { text } of pushed) {
      gateway.push(text);
    }
    // every frame that changes what the app shows (the contract's pushed frames but replies, errors and the drain hint)
    const changes = ['notification', 'notification_read', 'all_read', 'notification_deleted', 'all_seen'];
    changes.push('notification_archived', 'notification_unarchived', 'notification_snoozed', 'notification_unsnoozed');
    changes.push('preferences_updated', 'action_completed', 'subscription_changed', 'resync', 'identity_changed');
    expect(events.map((e) => e.type)).toEqual(pushed.map((s) => s.frame.type).filter((t) => changes.includes(t)));
    const notification = events.find((e) => e.type === 'notification' && !e.resurfaced && !e.silent);
    expect(notification?.type === 'notification' && notification.payload).toMatchObject({ title: 'Standup moved', seq: 1042 });
    // quiet hours: the silent sample reaches the app as silent (no toast), the usual one does not say so
    const silent = events.find((e) => e.type === 'notification' && e.silent);
    expect(silent?.type === 'notification' && silent.silent && silent.payload).toMatchObject({ title: 'Weekly digest', seq: 1047 });
    expect(notification).not.toHaveProperty('silent');

    const reconnect = samples('server').find((s) => s.frame.type === 'reconnect');
    gateway.push(reconnect?.text ?? '');
    expect(gateway.readyState).toBe(3); // draining: it goes elsewhere after delay_ms
    live.stop();
  });
});
