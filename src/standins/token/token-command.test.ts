import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authSchema } from '../../auth/auth-config.js';
import { createTokenProvider } from '../../auth/msal-token-provider.js';
import type { CliContext } from '../../cli/command.js';
import { silentLogger } from '../../logging/logger.js';
import { verifyToken } from '../common/bearer.js';
import { tokenStandinCommand } from './token-command.js';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-token-command-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function cliContext(environment: Record<string, string> = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const controller = new AbortController();
  const context: CliContext = {
    logger: silentLogger(),
    signal: controller.signal,
    out,
    environment,
  };
  return { context, abort: () => controller.abort(), output: () => text };
}

async function waitForUrl(output: () => string): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = /listening on (\S+)/.exec(output());
    if (match?.[1] !== undefined) {
      return match[1];
    }
    if (Date.now() > deadline) {
      throw new Error(`no URL in output: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('latigo standin token', () => {
  it('issues tokens to the clients from the environment and writes its CA file', async () => {
    const caFile = join(directory, 'token-ca.pem');
    const { context, abort, output } = cliContext({
      LATIGO_STANDIN_TOKEN_SECRET: 'cli-secret',
      LATIGO_STANDIN_TOKEN_CLIENTS: 'app:app-secret',
    });
    const running = tokenStandinCommand.run(
      ['--port', '0', '--write-ca', caFile, '--expires-in', '120'],
      context,
    );
    const url = await waitForUrl(output);

    const provider = createTokenProvider(
      authSchema.parse({
        resource: 'api://r',
        tenant: 'any-tenant',
        authority_host_url: url,
        client_id: 'app',
        client_secret: 'app-secret',
        ca_file: caFile,
      }),
      { section: 'sensor_data.auth', logger: silentLogger() },
    );
    const token = await provider?.getToken();
    abort();

    expect(readFileSync(caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(verifyToken(token ?? '', { secret: 'cli-secret', audiences: ['api://r'] }).ok).toBe(
      true,
    );
    expect(await running).toBe(0);
  });

  it('refuses to start without a signing secret or without clients', async () => {
    await expect(
      tokenStandinCommand.run(['--client', 'a:b'], cliContext().context),
    ).rejects.toThrow(/needs a signing secret/);
    await expect(
      tokenStandinCommand.run(['--token-secret', 's'], cliContext().context),
    ).rejects.toThrow(/needs at least one client/);
  });

  it('serves a certificate valid for the --tls-name host names', async () => {
    const caFile = join(directory, 'named-ca.pem');
    const { context, abort, output } = cliContext({ LATIGO_STANDIN_TOKEN_SECRET: 'cli-secret' });
    const running = tokenStandinCommand.run(
      ['--port', '0', '--client', 'a:b', '--tls-name', 'token', '--write-ca', caFile],
      context,
    );
    await waitForUrl(output);
    abort();

    expect(new X509Certificate(readFileSync(caFile, 'utf8')).checkHost('token')).toBe('token');
    expect(await running).toBe(0);
  });

  it('refuses a --tls-name that is not a host name, or one given with --tls-cert', async () => {
    const environment = { LATIGO_STANDIN_TOKEN_SECRET: 's' };
    await expect(
      tokenStandinCommand.run(
        ['--client', 'a:b', '--tls-name', 'https://token'],
        cliContext(environment).context,
      ),
    ).rejects.toThrow(/--tls-name: "https:\/\/token" is not a DNS host name/);
    await expect(
      tokenStandinCommand.run(
        ['--client', 'a:b', '--tls-name', 'token', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'],
        cliContext(environment).context,
      ),
    ).rejects.toThrow(/cannot be combined with --tls-cert/);
  });
});
