import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import type { CliContext } from '../../cli/command.js';
import { silentLogger } from '../../logging/logger.js';
import { metadataApiStandinCommand } from './metadata-api-command.js';

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

describe('latigo standin metadata-api', () => {
  it('serves the projects given as options until aborted, then exits 0', async () => {
    const { context, abort, output } = cliContext({ LATIGO_STANDIN_APIM_KEY: 'k' });
    const running = metadataApiStandinCommand.run(
      ['--port', '0', '--project', 'a,b', '--project', 'c', '--base-path', '/omnia-prevent'],
      context,
    );
    const url = await waitForUrl(output);

    const refused = await fetch(`${url}/projects`);
    const answer = await fetch(`${url}/projects`, {
      headers: { 'Ocp-Apim-Subscription-Key': 'k' },
    });
    abort();

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/omnia-prevent$/);
    expect(refused.status).toBe(401);
    expect(await answer.json()).toEqual({ projects: ['a', 'b', 'c'] });
    expect(await running).toBe(0);
  });

  it('starts with fault rules from --fault', async () => {
    const { context, abort, output } = cliContext();
    const running = metadataApiStandinCommand.run(
      ['--port', '0', '--fault', '{"type":"status","status":503,"times":1}'],
      context,
    );
    const url = await waitForUrl(output);

    const first = await fetch(`${url}/projects`);
    const second = await fetch(`${url}/projects`);
    abort();

    expect([first.status, second.status]).toEqual([503, 200]);
    expect(await running).toBe(0);
  });

  it('refuses an invalid fault rule, naming the option', async () => {
    const { context } = cliContext();

    await expect(
      metadataApiStandinCommand.run(['--fault', '{"type":"latency"}'], context),
    ).rejects.toThrow(/--fault #1: .*latency rule needs "ms"/);
  });
});
