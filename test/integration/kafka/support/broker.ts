import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { packageRoot } from '../../../../src/util/package-root.js';

/**
 * The single-node Kafka broker of the tests (deploy/kafka/broker.sh). Test files call
 * `ensureKafkaBroker()` in `beforeAll`; the first one starts the broker when it is not running,
 * and the global teardown (test/setup/kafka-broker.ts) stops it again.
 */

/** The project folder, found the same way from test/ and from dist/test/. */
export const PROJECT_ROOT = packageRoot();
export const BROKER_SCRIPT = join(PROJECT_ROOT, 'deploy/kafka/broker.sh');

export const BROKER_PORT = Number(process.env['LATIGO_KAFKA_PORT'] ?? 19092);
export const SASL_PORT = Number(process.env['LATIGO_KAFKA_SASL_PORT'] ?? 19094);
export const BROKER = `127.0.0.1:${BROKER_PORT}`;
export const SASL_BROKER = `127.0.0.1:${SASL_PORT}`;

const CACHE_DIR = process.env['LATIGO_KAFKA_CACHE'] ?? join(PROJECT_ROOT, '.cache/kafka');
/** Present while a broker started by the tests runs; the global teardown stops it. */
export const STARTED_BY_TESTS_MARKER = join(CACHE_DIR, 'run/started-by-tests');

/** The connection string the broker's SASL listener accepts (as password of $ConnectionString). */
export function testConnectionString(): string {
  return readFileSync(join(PROJECT_ROOT, 'deploy/kafka/test-connection-string'), 'utf8').trim();
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function brokerReachable(): Promise<boolean> {
  return (await portOpen(BROKER_PORT)) && (await portOpen(SASL_PORT));
}

const run = promisify(execFile);

/** Starts the test broker unless it is already running. */
export async function ensureKafkaBroker(): Promise<void> {
  if (await brokerReachable()) {
    return;
  }
  mkdirSync(dirname(STARTED_BY_TESTS_MARKER), { recursive: true });
  writeFileSync(STARTED_BY_TESTS_MARKER, `${process.pid}\n`);
  await run('bash', [BROKER_SCRIPT, 'start'], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
}

/** Stops the broker with the project script. */
export async function stopKafkaBroker(): Promise<void> {
  await run('bash', [BROKER_SCRIPT, 'stop'], { timeout: 120_000 });
}

/** The broker listener that advertises the proxy port, and the port the test proxy takes. */
export const PROXIED_PORT = Number(process.env['LATIGO_KAFKA_PROXIED_PORT'] ?? 19095);
export const PROXY_PORT = Number(process.env['LATIGO_KAFKA_PROXY_PORT'] ?? 19096);
