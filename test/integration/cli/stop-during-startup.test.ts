import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startLatigo, type LatigoProcess } from '../../support/latigo-process.js';
import {
  modelNames,
  removeTemporaryFolders,
  temporaryFolder,
  writeDaemonConfigs,
} from '../kafka/support/daemons.js';

/**
 * A "broker" on loopback that accepts connections and never answers: a Kafka client's start-up
 * check waits on it for as long as its request timeout, here far longer than the test may take.
 */
let silent: Server;
const sockets = new Set<Socket>();
let connections = 0;
let connected: (() => void) | undefined;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    connections += 1;
    connected?.();
  });
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
});

afterAll(async () => {
  for (const socket of sockets) {
    socket.destroy();
  }
  silent.close();
  await once(silent, 'close');
});

afterEach(() => {
  removeTemporaryFolders();
});

/** Resolves once the next process connected to the silent broker (its start-up check began). */
function nextConnection(): Promise<void> {
  const before = connections;
  return new Promise((resolve) => {
    connected = () => {
      if (connections > before) {
        connected = undefined;
        resolve();
      }
    };
  });
}

function configs(): { scheduler: string; executor: string } {
  const address = silent.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the silent broker has no port');
  }
  return writeDaemonConfigs({
    topic: 'never-answered',
    groupId: 'never-answered',
    models: modelNames(1),
    database: join(temporaryFolder('latigo-stop-'), 'predictions.sqlite'),
    queue: {
      brokers: `127.0.0.1:${address.port}`,
      // Without an answer the check would wait this long: far past the test's own timeout.
      'request.timeout.ms': 600_000,
      connection_timeout_ms: 600_000,
    },
  });
}

async function stopWhileChecking(
  start: () => LatigoProcess,
  signal: NodeJS.Signals,
): Promise<{ daemon: LatigoProcess; code: number | null }> {
  const checking = nextConnection();
  const daemon = start();
  await checking;
  const exit = await daemon.stop(signal, 30_000);
  return { daemon, code: exit.code };
}

describe('a stop while the start-up check waits for the broker', () => {
  it.each(['scheduler', 'executor'] as const)(
    'lets the %s daemon exit 0 at once, as a stop and not a failure',
    async (role) => {
      const files = configs();

      const { daemon, code } = await stopWhileChecking(
        () => startLatigo(role, [role, '--config', files[role]], { LATIGO_LOG_LEVEL: 'info' }),
        'SIGTERM',
      );

      expect(code, daemon.describeOutput()).toBe(0);
      expect(daemon.logged('stopped before start-up finished')).toHaveLength(1);
      expect(daemon.logged('latigo stopped on an error')).toEqual([]);
    },
  );

  it('makes `run --once` exit 130 and say the back-fill never started', async () => {
    const files = configs();

    const { daemon, code } = await stopWhileChecking(
      () =>
        startLatigo(
          'run-once',
          [
            'run',
            '--once',
            '--scheduler-config',
            files.scheduler,
            '--executor-config',
            files.executor,
          ],
          { LATIGO_LOG_LEVEL: 'error' },
        ),
      'SIGINT',
    );

    expect(code, daemon.describeOutput()).toBe(130);
    expect(daemon.lines.map((line) => line.text)).toContain(
      'Interrupted before the back-fill started.',
    );
    expect(daemon.describeOutput()).not.toContain('cannot reach Kafka broker');
  });
});
