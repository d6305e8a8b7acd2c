import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type {
  PredictionMetadata,
  PredictionMetadataStorage,
  ProjectsProvider,
} from '../../../src/interfaces/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { metadataApiStorageFactory } from '../../../src/metadata-storage/metadata-api/metadata-api-storage.js';
import { metadataApiProjectsFactory } from '../../../src/projects/metadata-api/metadata-api-projects.js';
import {
  startMetadataApiStandin,
  type MetadataApiStandin,
} from '../../../src/standins/metadata-api/metadata-api-standin.js';
import { startTokenStandin, type TokenStandin } from '../../../src/standins/token/token-standin.js';

const SIGNING_SECRET = 'integration-signing-secret';
const RESOURCE = 'api://prevent-metadata';
const APIM_KEY = 'apim-key-1';
const FROM_MS = Date.UTC(2020, 4, 30, 10, 0);

let directory: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-metadata-it-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Setup {
  readonly token: TokenStandin;
  readonly api: MetadataApiStandin;
  readonly caFile: string;
}

async function startSetup(
  options: { projects?: string[]; expiresInSeconds?: number } = {},
): Promise<Setup> {
  const token = await startTokenStandin({
    clients: [{ clientId: 'latigo', clientSecret: 'latigo-secret' }],
    tenants: ['tenant-1'],
    signingSecret: SIGNING_SECRET,
    expiresInSeconds: options.expiresInSeconds ?? 3600,
    logger: silentLogger(),
  });
  closers.push(() => token.close());
  const api = await startMetadataApiStandin({
    projects: options.projects ?? ['ioc-1000', 'ioc-1099'],
    subscriptionKey: APIM_KEY,
    auth: { secret: SIGNING_SECRET, audiences: [RESOURCE] },
    basePath: '/omnia-prevent',
    logger: silentLogger(),
  });
  closers.push(() => api.close());
  const caFile = join(directory, `ca-${token.port}.pem`);
  writeFileSync(caFile, token.caCertificate);
  return { token, api, caFile };
}

function sectionConfig(
  setup: Setup,
  type: 'metadata_api',
  overrides: Record<string, unknown> = {},
) {
  return {
    type,
    base_url: setup.api.url,
    auth: {
      resource: RESOURCE,
      tenant: 'tenant-1',
      authority_host_url: setup.token.url,
      client_id: 'latigo',
      client_secret: 'latigo-secret',
      ca_file: setup.caFile,
      auto_adding_headers: { 'Ocp-Apim-Subscription-Key': APIM_KEY },
    },
    http: { timeout: '2s', retry: { attempts: 3, base_delay: '1ms', max_retry_after: '20ms' } },
    ...overrides,
  };
}

async function projectsProvider(
  setup: Setup,
  overrides: Record<string, unknown> = {},
): Promise<ProjectsProvider> {
  const config = metadataApiProjectsFactory.schema.parse(
    sectionConfig(setup, 'metadata_api', overrides),
  );
  return metadataApiProjectsFactory.create(config, {
    logger: silentLogger(),
    role: 'scheduler',
    section: 'models_metadata_info',
  });
}

async function metadataStorage(
  setup: Setup,
  overrides: Record<string, unknown> = {},
): Promise<PredictionMetadataStorage> {
  const config = metadataApiStorageFactory.schema.parse(
    sectionConfig(setup, 'metadata_api', overrides),
  );
  return metadataApiStorageFactory.create(config, {
    logger: silentLogger(),
    role: 'executor',
    section: 'prediction_metadata_storage',
  });
}

function predictionMetadata(model = 'm1'): PredictionMetadata {
  return {
    prediction: {
      project: 'ioc-1903',
      model,
      window: { fromMs: FROM_MS, toMs: FROM_MS + 1_800_000 },
      revision: '1583238576000',
      timesMs: [FROM_MS],
      columns: [
        { group: 'model-input', tag: '1903.R1', values: [1] },
        { group: 'model-output', tag: '1903.R1', values: [1.1] },
      ],
      nonFiniteCount: 0,
    },
    stored: {
      series: [
        {
          group: 'model-output',
          tag: '1903.R1',
          name: `1903.R1|${model}|model-output`,
          description: 'Gordo model-output - 1903.R1',
          id: '73ef',
          points: 1,
        },
      ],
      rows: 1,
      points: 1,
      skipped: 0,
      inputSeriesIds: { '1903.R1': '0b0d' },
    },
    model: {
      project: 'ioc-1903',
      name: model,
      tags: [{ name: '1903.R1', asset: '1903' }],
      targetTags: [{ name: '1903.R1', asset: '1903' }],
      trainingRange: { fromMs: Date.UTC(2020, 1, 1), toMs: Date.UTC(2020, 3, 1) },
    },
  };
}

describe('metadata_api projects provider', () => {
  it('passes its start-up check and lists the projects with a token and the APIM key', async () => {
    const setup = await startSetup();
    const provider = await projectsProvider(setup);

    await provider.check?.();
    const projects = await provider.getProjects();

    expect(projects).toEqual(['ioc-1000', 'ioc-1099']);
    expect(setup.token.issuedTokens()).toHaveLength(1);
    const projectsRequest = setup.api.requests
      .list()
      .find((request) => request.path === '/projects');
    expect(projectsRequest?.headers).toMatchObject({
      authorization: '[present]',
      'ocp-apim-subscription-key': '[present]',
    });
  });

  it('treats an empty project list as an error naming the URL', async () => {
    const setup = await startSetup({ projects: [] });
    const provider = await projectsProvider(setup);

    await expect(provider.getProjects()).rejects.toThrow(
      /models_metadata_info: http:\/\/127\.0\.0\.1:\d+\/omnia-prevent\/projects answered no projects/,
    );
  });

  it('fails its start-up check naming the section when the credentials are wrong', async () => {
    const setup = await startSetup();
    const config = sectionConfig(setup, 'metadata_api');
    const provider = await projectsProvider(setup, {
      auth: { ...config.auth, client_secret: 'wrong' },
    });

    await expect(provider.check?.()).rejects.toThrow(
      /start-up auth check of models_metadata_info\.auth failed/,
    );
  });

  it('is refused by the API without the APIM key', async () => {
    const setup = await startSetup();
    const config = sectionConfig(setup, 'metadata_api');
    const provider = await projectsProvider(setup, {
      auth: { ...config.auth, auto_adding_headers: {} },
    });

    await expect(provider.getProjects()).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      context: { status: 401 },
    });
  });

  it('waits out throttling and answers once the API lets it through', async () => {
    const setup = await startSetup();
    setup.api.faults.add([{ type: 'status', status: 429, retryAfter: '1', times: 2 }]);
    const provider = await projectsProvider(setup);

    const projects = await provider.getProjects();

    expect(projects).toHaveLength(2);
    expect(setup.api.requests.list().map((request) => request.status)).toEqual([429, 429, 200]);
  });
});

describe('metadata_api prediction metadata storage', () => {
  it('posts one record per stored window, as the original sent it', async () => {
    const setup = await startSetup();
    const storage = await metadataStorage(setup);

    await storage.putPredictionMetadata(predictionMetadata());

    const [record] = setup.api.records();
    expect(record).toMatchObject({
      project_name: 'ioc-1903',
      model_name: 'm1',
      revision: '1583238576000',
      training_time_from: '2020-02-01T00:00:00Z',
      record: {
        input_tags: [{ name: '1903.R1', time_series_id: '0b0d' }],
        output_tags: [
          {
            name: '1903.R1|m1|model-output',
            time_series_id: '73ef',
            type: 'derived',
            derived_from: '1903.R1',
            description: 'Gordo model-output - 1903.R1',
          },
        ],
        status: 'not_defined',
        labels: null,
        training_time_to: '2020-04-01 00:00:00+00:00',
      },
    });
    const post = setup.api.requests.list().find((request) => request.method === 'POST');
    expect(post?.headers['content-type']).toBeUndefined();
  });

  it('renews its short-lived token between posts', async () => {
    const setup = await startSetup({ expiresInSeconds: 2 });
    const storage = await metadataStorage(setup);

    await storage.putPredictionMetadata(predictionMetadata('m1'));
    const deadline = Date.now() + 5_000;
    let posts = 1;
    while (setup.token.issuedTokens().length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await storage.putPredictionMetadata(predictionMetadata(`m${(posts += 1)}`));
    }

    expect(setup.token.issuedTokens().length).toBeGreaterThanOrEqual(2);
    expect(setup.api.records()).toHaveLength(posts);
    expect(setup.api.requests.list().every((request) => request.status === 200)).toBe(true);
  });

  it('reports a retriable METADATA_FAILED naming model and window when the API keeps failing', async () => {
    const setup = await startSetup();
    setup.api.faults.add([{ type: 'status', status: 503, method: 'POST' }]);
    const storage = await metadataStorage(setup);

    const failure = storage.putPredictionMetadata(predictionMetadata());

    await expect(failure).rejects.toMatchObject({ code: 'METADATA_FAILED', retriable: true });
    await expect(failure).rejects.toThrow(
      /model m1 of project ioc-1903 for \[2020-05-30T10:00:00Z, 2020-05-30T10:30:00Z\)/,
    );
    expect(setup.api.requests.list()).toHaveLength(3);
  });

  it('reports a final METADATA_FAILED when the API refuses the record', async () => {
    const setup = await startSetup();
    setup.api.faults.add([{ type: 'status', status: 400, method: 'POST', body: 'bad record' }]);
    const storage = await metadataStorage(setup);

    await expect(storage.putPredictionMetadata(predictionMetadata())).rejects.toMatchObject({
      code: 'METADATA_FAILED',
      retriable: false,
    });
  });

  it('works without auth against a stand-in that asks for none', async () => {
    const api = await startMetadataApiStandin({ projects: ['p'], logger: silentLogger() });
    closers.push(() => api.close());
    const config = metadataApiStorageFactory.schema.parse({
      type: 'metadata_api',
      base_url: api.url,
    });
    const storage = await metadataApiStorageFactory.create(config, {
      logger: silentLogger(),
      role: 'executor',
      section: 'prediction_metadata_storage',
    });

    await storage.check?.();
    await storage.putPredictionMetadata(predictionMetadata());

    expect(api.records()).toHaveLength(1);
  });
});
