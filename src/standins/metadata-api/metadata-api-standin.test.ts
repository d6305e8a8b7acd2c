import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../logging/logger.js';
import {
  startMetadataApiStandin,
  type MetadataApiStandin,
  type MetadataApiStandinOptions,
} from './metadata-api-standin.js';

let directory: string;
const standins: MetadataApiStandin[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-metadata-standin-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(standins.splice(0).map((standin) => standin.close()));
});

async function startStandin(
  overrides: Partial<MetadataApiStandinOptions> = {},
): Promise<MetadataApiStandin> {
  const standin = await startMetadataApiStandin({
    projects: ['ioc-1000', 'ioc-1099'],
    logger: silentLogger(),
    ...overrides,
  });
  standins.push(standin);
  return standin;
}

const PYTHON_BODY = `{
    "description": "Gordo prediction for project 'ioc-1903', model 'm1'.",
    "input_tags": [],
    "labels": null,
    "model_name": "m1",
    "output_tags": [],
    "project_name": "ioc-1903",
    "revision": "1583238576000",
    "status": "not_defined",
    "training_time_from": "2020-02-01 00:00:00+00:00",
    "training_time_to": "2020-04-01 00:00:00+00:00"
}`;

describe('metadata API stand-in', () => {
  it('answers Ok on /ready and the configured projects', async () => {
    const standin = await startStandin();

    const ready = await fetch(`${standin.url}/ready`);
    const projects = await fetch(`${standin.url}/projects`);

    expect(await ready.text()).toBe('Ok');
    expect(await projects.json()).toEqual({ projects: ['ioc-1000', 'ioc-1099'] });
  });

  it('stores a Python-style body sent without a content type and answers its model_id', async () => {
    const standin = await startStandin();

    const first = await fetch(`${standin.url}/models`, { method: 'POST', body: PYTHON_BODY });
    const second = await fetch(`${standin.url}/models`, {
      method: 'POST',
      body: PYTHON_BODY,
      headers: { 'Content-Type': 'text/plain' },
    });

    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ model_name: 'm1', model_id: 1 });
    expect(await second.json()).toMatchObject({ model_id: 2 });
    expect(standin.records()[0]).toMatchObject({
      model_id: 1,
      project_name: 'ioc-1903',
      revision: '1583238576000',
      training_time_from: '2020-02-01T00:00:00Z',
      training_time_to: '2020-04-01T00:00:00Z',
    });
  });

  it('refuses a record without names or with a bad date, saying what is wrong', async () => {
    const standin = await startStandin();

    const missing = await fetch(`${standin.url}/models`, { method: 'POST', body: '{}' });
    const badDate = await fetch(`${standin.url}/models`, {
      method: 'POST',
      body: JSON.stringify({ project_name: 'p', model_name: 'm', training_time_from: 'soon' }),
    });
    const notJson = await fetch(`${standin.url}/models`, { method: 'POST', body: 'hello' });

    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('project_name');
    expect(await badDate.text()).toContain('training_time_from: not a date: \\"soon\\"');
    expect(notJson.status).toBe(400);
    expect(standin.records()).toEqual([]);
  });

  it('requires the subscription key when one is configured, but not on /ready', async () => {
    const standin = await startStandin({ subscriptionKey: 'apim-key' });

    const without = await fetch(`${standin.url}/projects`);
    const withKey = await fetch(`${standin.url}/projects`, {
      headers: { 'Ocp-Apim-Subscription-Key': 'apim-key' },
    });
    const ready = await fetch(`${standin.url}/ready`);

    expect(without.status).toBe(401);
    expect(withKey.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  it('lists stored records through the control endpoint, filtered by model', async () => {
    const standin = await startStandin();
    await fetch(`${standin.url}/models`, { method: 'POST', body: PYTHON_BODY });
    await fetch(`${standin.url}/models`, {
      method: 'POST',
      body: JSON.stringify({ project_name: 'p', model_name: 'other' }),
    });

    const listed = (await (
      await fetch(`${standin.url}/_control/models?model_name=other`)
    ).json()) as { models: { model_id: number }[] };

    expect(listed.models.map((model) => model.model_id)).toEqual([2]);
  });

  it('keeps records in its database file across restarts', async () => {
    const databasePath = join(directory, 'metadata.sqlite');
    const first = await startStandin({ databasePath });
    await fetch(`${first.url}/models`, { method: 'POST', body: PYTHON_BODY });
    await first.close();
    standins.splice(standins.indexOf(first), 1);

    const second = await startStandin({ databasePath });
    const answer = await fetch(`${second.url}/models`, { method: 'POST', body: PYTHON_BODY });

    expect(await answer.json()).toMatchObject({ model_id: 2 });
    expect(second.records()).toHaveLength(2);
  });

  it('serves below a base path', async () => {
    const standin = await startStandin({ basePath: '/omnia-prevent' });

    expect(standin.url).toMatch(/\/omnia-prevent$/);
    expect((await fetch(`${standin.url}/ready`)).status).toBe(200);
  });
});
