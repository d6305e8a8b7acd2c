import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../src/logging/logger.js';
import { startTokenStandin, type TokenStandin } from '../../../src/standins/token/token-standin.js';
import {
  REVISION,
  SKAB_TAGS,
  closeStandins,
  gordoSection,
  modelInfoFor,
  standinConfig,
  startRecordingProxy,
  startStandin,
  valveModel,
  waitFor,
} from './gordo-support.js';

const NEXT_REVISION = '1583749999000';

afterEach(closeStandins);

function twoModels() {
  return standinConfig({
    [REVISION]: {
      valve1: valveModel(),
      valve2: valveModel({ tags: SKAB_TAGS.slice(0, 3), target_tags: [SKAB_TAGS[1]], asset: null }),
    },
  });
}

describe('gordo model info', () => {
  it('lists every model of a project with tags, assets, training period and resolution', async () => {
    const standin = await startStandin(twoModels());
    const provider = await modelInfoFor(gordoSection(standin));

    const models = await provider.getAllModels(['skab']);

    expect(models.map((model) => model.name)).toEqual(['valve1', 'valve2']);
    expect(models[0]).toMatchObject({
      project: 'skab',
      revision: REVISION,
      resolutionMs: 5000,
      trainingRange: {
        fromMs: Date.parse('2020-03-09T10:14:33Z'),
        toMs: Date.parse('2020-03-09T10:21:31Z'),
      },
    });
    expect(models[0]?.tags).toHaveLength(8);
    expect(models[0]?.tags[7]).toEqual({ name: 'SKAB.VolumeFlowRateRMS', asset: 'SKAB' });
    expect(models[1]?.tags[0]).toEqual({ name: 'SKAB.Accelerometer1RMS' });
    expect(models[1]?.targetTags.map((tag) => tag.name)).toEqual(['SKAB.Accelerometer2RMS']);
  });

  it('finds one model and the tags it reads, and nothing for an unknown model', async () => {
    const standin = await startStandin(twoModels());
    const provider = await modelInfoFor(gordoSection(standin));

    await expect(provider.getModelByKey('skab', 'valve2')).resolves.toMatchObject({
      name: 'valve2',
    });
    await expect(provider.getSpec('skab', 'valve2')).resolves.toEqual({
      tags: SKAB_TAGS.slice(0, 3).map((name) => ({ name })),
    });
    await expect(provider.getModelByKey('skab', 'nope')).resolves.toBeUndefined();
    await expect(provider.getSpec('skab', 'nope')).resolves.toBeUndefined();
  });

  it('reads the trigger tags of a row filter but keeps them out of the model tags', async () => {
    const tags = SKAB_TAGS.slice(0, 3);
    const standin = await startStandin(
      standinConfig({
        [REVISION]: {
          valve1: valveModel({ tags, row_filter: ['`SKAB.Pressure` > 0.1', '`SKAB.Current` < 5'] }),
        },
      }),
    );
    const provider = await modelInfoFor(gordoSection(standin));

    await expect(provider.getSpec('skab', 'valve1')).resolves.toEqual({
      tags: [
        ...tags.map((name) => ({ name, asset: 'SKAB' })),
        { name: 'SKAB.Pressure', asset: 'SKAB', readFor: 'the row filter' },
      ],
    });
    const model = await provider.getModelByKey('skab', 'valve1');
    expect(model?.tags.map((tag) => tag.name)).toEqual(tags);
    expect(model?.targetTags.map((tag) => tag.name)).toEqual(tags);
  });

  it('knows only the target models when target is set', async () => {
    const standin = await startStandin(twoModels());
    const provider = await modelInfoFor(gordoSection(standin, { target: ['valve2'] }));

    const models = await provider.getAllModels(['skab']);

    expect(models.map((model) => model.name)).toEqual(['valve2']);
    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toBeUndefined();
  });

  it('never sends a request for a project or model name that would leave its path segment', async () => {
    const standin = await startStandin();
    const proxy = await startRecordingProxy(standin);
    const provider = await modelInfoFor(gordoSection(proxy));

    const models = await provider.getAllModels(['..', 'skab']);
    const spec = provider.getSpec('skab', '..');

    expect(models.map((model) => `${model.project}/${model.name}`)).toEqual(['skab/valve1']);
    await expect(spec).rejects.toMatchObject({
      code: 'NAME_INVALID',
      message: 'model name ".." must not be ".."',
    });
    expect(proxy.requests.filter((request) => request.path.includes('..'))).toEqual([]);
    expect(proxy.requests.some((request) => request.path.endsWith('/gordo/revisions'))).toBe(false);
  });

  it('skips a project it cannot list and keeps the others', async () => {
    const standin = await startStandin();
    const provider = await modelInfoFor(gordoSection(standin));

    const models = await provider.getAllModels(['missing', 'skab']);

    expect(models.map((model) => `${model.project}/${model.name}`)).toEqual(['skab/valve1']);
  });

  it('skips a model whose metadata fails when ignore_unhealthy_targets is on', async () => {
    const standin = await startStandin(twoModels());
    standin.faults.add([{ type: 'status', status: 500, path: '/gordo/v0/skab/valve1/metadata' }]);
    const provider = await modelInfoFor(gordoSection(standin, { n_retries: 0 }));

    const models = await provider.getAllModels(['skab']);

    expect(models.map((model) => model.name)).toEqual(['valve2']);
  });

  it('skips the whole project when ignore_unhealthy_targets is off', async () => {
    const standin = await startStandin(twoModels());
    standin.faults.add([{ type: 'status', status: 500, path: '/gordo/v0/skab/valve1/metadata' }]);
    const provider = await modelInfoFor(
      gordoSection(standin, { n_retries: 0, ignore_unhealthy_targets: false }),
    );

    await expect(provider.getAllModels(['skab'])).resolves.toEqual([]);
  });

  it('waits out 429 answers, honouring Retry-After', async () => {
    const standin = await startStandin();
    standin.faults.add([
      { type: 'status', status: 429, retryAfter: '0', times: 2, path: '/gordo/v0/skab/revisions' },
    ]);
    const provider = await modelInfoFor(gordoSection(standin));

    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      name: 'valve1',
    });
    const revisionCalls = standin.requests
      .list()
      .filter((entry) => entry.path.endsWith('/revisions'));
    expect(revisionCalls.map((entry) => entry.status)).toEqual([429, 429, 200]);
  });

  it('retries 5xx answers and requests that time out', async () => {
    const standin = await startStandin();
    standin.faults.add([
      { type: 'timeout', times: 1, path: '/gordo/v0/skab/revisions' },
      { type: 'status', status: 503, times: 1, path: '/gordo/v0/skab/valve1/metadata' },
    ]);
    const provider = await modelInfoFor(gordoSection(standin, { http: { timeout: '300ms' } }));

    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      name: 'valve1',
    });
  });

  it('gives up after n_retries and says what failed', async () => {
    const standin = await startStandin();
    standin.faults.add([{ type: 'status', status: 502, path: '/gordo/v0/skab/revisions' }]);
    const provider = await modelInfoFor(gordoSection(standin, { n_retries: 2 }));

    await expect(provider.getModelByKey('skab', 'valve1')).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      message: expect.stringMatching(
        /gordo answered GET .*\/skab\/revisions with status 502/,
      ) as string,
    });
    expect(standin.requests.list()).toHaveLength(3);
  });

  it('refuses a 2xx answer that is not JSON, such as a sign-in page', async () => {
    const standin = await startStandin();
    standin.faults.add([
      {
        type: 'status',
        status: 200,
        body: '<html>Sign in</html>',
        path: '/gordo/v0/skab/revisions',
      },
    ]);
    const provider = await modelInfoFor(gordoSection(standin));

    await expect(provider.getModelByKey('skab', 'valve1')).rejects.toMatchObject({
      code: 'HTTP_BAD_RESPONSE',
    });
    await expect(provider.getAllModels(['skab'])).resolves.toEqual([]);
  });

  it('lets one caller stop waiting without failing another caller of the same request', async () => {
    const standin = await startStandin();
    standin.faults.add([{ type: 'latency', ms: 200, times: 1, path: '/gordo/v0/skab/revisions' }]);
    const provider = await modelInfoFor(gordoSection(standin));
    const impatient = new AbortController();

    const first = provider.getModelByKey('skab', 'valve1', impatient.signal);
    const second = provider.getModelByKey('skab', 'valve1', new AbortController().signal);
    impatient.abort();

    await expect(first).rejects.toThrow();
    await expect(second).resolves.toMatchObject({ name: 'valve1' });
    expect(
      standin.requests.list().filter((entry) => entry.path.endsWith('/revisions')),
    ).toHaveLength(1);
  });

  it('picks up a new revision once the cached one expires', async () => {
    const standin = await startStandin(
      standinConfig(
        { [REVISION]: { valve1: valveModel() }, [NEXT_REVISION]: { valve1: valveModel() } },
        {
          current_revision: REVISION,
        },
      ),
    );
    const provider = await modelInfoFor(gordoSection(standin, { revisions_cache_ttl: '1ms' }));
    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      revision: REVISION,
    });

    standin.state.setCurrentRevision('skab', NEXT_REVISION);
    const switchedMs = Date.now();

    await waitFor(() => Date.now() > switchedMs + 1);
    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      revision: NEXT_REVISION,
    });
  });

  it('reads the latest revision again when the cached one is gone (410)', async () => {
    const standin = await startStandin(
      standinConfig(
        { [REVISION]: { valve1: valveModel() }, [NEXT_REVISION]: { valve1: valveModel() } },
        {
          current_revision: REVISION,
        },
      ),
    );
    const provider = await modelInfoFor(
      gordoSection(standin, { revisions_cache_ttl: '1h', metadata_cache_ttl: '1ms' }),
    );
    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      revision: REVISION,
    });

    standin.state.setCurrentRevision('skab', NEXT_REVISION);
    standin.state.deleteModel('skab', REVISION, 'valve1');

    await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
      revision: NEXT_REVISION,
    });
    expect(standin.requests.list().some((entry) => entry.status === 410)).toBe(true);
  });
});

describe('gordo model info with tokens', () => {
  const SECRET = 'gordo-test-signing-secret';
  let directory: string;
  let tokens: TokenStandin;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'latigo-gordo-auth-'));
    tokens = await startTokenStandin({
      clients: [{ clientId: 'latigo', clientSecret: 'latigo-secret' }],
      tenants: ['tenant'],
      signingSecret: SECRET,
      expiresInSeconds: 2,
      logger: silentLogger(),
    });
  });

  afterAll(async () => {
    await tokens.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function auth() {
    const caFile = join(directory, 'ca.pem');
    writeFileSync(caFile, tokens.caCertificate);
    return {
      resource: 'api://gordo',
      tenant: 'tenant',
      authority_host_url: tokens.url,
      client_id: 'latigo',
      client_secret: 'latigo-secret',
      ca_file: caFile,
    };
  }

  it('is refused by a stand-in that wants tokens when it has none', async () => {
    const standin = await startStandin(undefined, { auth: { secret: SECRET } });
    const provider = await modelInfoFor(gordoSection(standin));

    await expect(provider.getModelByKey('skab', 'valve1')).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      context: { status: 401 },
    });
  });

  it('sends bearer tokens and renews them before they expire', async () => {
    const standin = await startStandin(undefined, {
      auth: { secret: SECRET, audiences: ['api://gordo'] },
    });
    const provider = await modelInfoFor(
      gordoSection(standin, {
        auth: auth(),
        revisions_cache_ttl: '1ms',
        metadata_cache_ttl: '1ms',
      }),
    );
    await provider.check?.();
    const before = tokens.issuedTokens().length;

    // Lifetime 2 s: the token is renewed after 1 s; keep calling until a second one was issued.
    let calls = 0;
    while (tokens.issuedTokens().length < before + 2 && calls < 500) {
      await expect(provider.getModelByKey('skab', 'valve1')).resolves.toMatchObject({
        name: 'valve1',
      });
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(tokens.issuedTokens().length).toBeGreaterThanOrEqual(before + 2);
    expect(standin.requests.list().every((entry) => entry.status === 200)).toBe(true);
  });
});
