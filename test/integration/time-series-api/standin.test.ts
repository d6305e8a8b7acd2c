import { fileURLToPath } from 'node:url';

import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { silentLogger } from '../../../src/logging/logger.js';
import { loadSeedConfig } from '../../../src/standins/time-series-api/seed-config.js';
import { timeSeriesApiStandinCommand } from '../../../src/standins/time-series-api/command.js';
import type { TimeSeriesApiStandin } from '../../../src/standins/time-series-api/server.js';
import { startStandin, waitUntil } from './support.js';

const SKAB_SEED = fileURLToPath(
  new URL('../../../deploy/standins/time-series-api.yaml', import.meta.url),
);

interface WirePoint {
  readonly time: string;
  readonly value: number;
  readonly status: number;
}

/** A series or a data item of an answer; fields depend on the endpoint. */
interface WireItem {
  readonly id: string;
  readonly name?: string;
  readonly facility?: string | null;
  readonly unit?: string | null;
  readonly step?: boolean;
  readonly datapoints?: readonly WirePoint[];
}

interface WireBody {
  readonly data?: { readonly items: readonly WireItem[] };
  readonly continuationToken?: string;
  readonly statusCode?: number;
  readonly message?: string;
  readonly datapoints?: readonly WirePoint[];
}

interface Answer {
  readonly status: number;
  readonly body: WireBody;
}

async function call(url: string, method = 'GET', body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as WireBody) };
}

function itemsOf(answer: Answer): readonly WireItem[] {
  const items = answer.body.data?.items;
  if (items === undefined) {
    throw new Error(`no items in the answer: ${JSON.stringify(answer.body)}`);
  }
  return items;
}

function firstItem(answer: Answer): WireItem {
  const item = itemsOf(answer)[0];
  if (item === undefined) {
    throw new Error('the answer has no item');
  }
  return item;
}

function pointsOf(answer: Answer): readonly WirePoint[] {
  return firstItem(answer).datapoints ?? [];
}

async function createSeries(server: TimeSeriesApiStandin, name: string, facility = '1903') {
  const answer = await call(server.apiUrl, 'POST', {
    name,
    description: 'test series',
    step: true,
    unit: '',
    facility,
    externalId: '',
  });
  expect(answer.status).toBe(200);
  return firstItem(answer).id;
}

function points(startMs: number, count: number, stepMs = 1000) {
  return Array.from({ length: count }, (_unused, index) => ({
    time: new Date(startMs + index * stepMs).toISOString(),
    value: index,
    status: 192,
  }));
}

const T0 = Date.parse('2020-04-20T10:00:00Z');

describe('the Time Series API stand-in', () => {
  it('finds a series by exact name, with + as a space and any case of facility', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'GRA-FOI -13-0979.PV');

    const found = await call(`${server.apiUrl}?name=GRA-FOI+-13-0979.PV&facility=1903`);
    const wrongCase = await call(`${server.apiUrl}/?NAME=gra-foi+-13-0979.pv`);

    expect(itemsOf(found).map((item) => item.id)).toEqual([id]);
    expect(wrongCase.status).toBe(200);
    expect(itemsOf(wrongCase)).toEqual([]);
  });

  it('takes the first of repeated name parameters', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'TAG-1');

    const answer = await call(`${server.apiUrl}?name=TAG-1&name=1313-00000`);

    expect(itemsOf(answer).map((item) => item.id)).toEqual([id]);
  });

  it('answers 409 for a name already used in the facility, whatever its case', async () => {
    const server = await startStandin();
    await createSeries(server, 'OUT|m|model-output', '1903');

    const duplicate = await call(server.apiUrl, 'POST', {
      name: 'OUT|m|model-output',
      facility: 'SKAB',
    });
    const sameFacility = await call(server.apiUrl, 'POST', {
      name: 'OUT|m|model-output',
      facility: 'skab',
    });

    expect(duplicate.status).toBe(200);
    expect(sameFacility.status).toBe(409);
    expect(sameFacility.body.message).toBe(
      "Attempt to store timeseries 'OUT|m|model-output' from 'skab' which already exists",
    );
  });

  it('answers 400 Facility not found for an unknown facility', async () => {
    const server = await startStandin();

    const answer = await call(server.apiUrl, 'POST', { name: 'X', facility: 'NOPE' });

    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('Facility not found.');
  });

  it('reads a window in pages linked by continuation tokens until every point is returned', async () => {
    const server = await startStandin();
    const first = await createSeries(server, 'A');
    const second = await createSeries(server, 'B');
    await call(`${server.apiUrl}/data`, 'POST', {
      items: [
        { id: first, datapoints: points(T0, 25) },
        { id: second, datapoints: points(T0, 7) },
      ],
    });
    const request = [first, second].map((id) => ({
      id,
      startTime: new Date(T0).toISOString(),
      endTime: new Date(T0 + 60_000).toISOString(),
      limit: 10,
    }));

    const collected = new Map<string, number>();
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await call(
        `${server.apiUrl}/query/data${token === undefined ? '' : `?continuationToken=${encodeURIComponent(token)}`}`,
        'POST',
        request,
      );
      expect(answer.status).toBe(200);
      for (const item of itemsOf(answer)) {
        expect(Object.keys(item).sort()).toEqual(['datapoints', 'id']);
        collected.set(item.id, (collected.get(item.id) ?? 0) + (item.datapoints?.length ?? 0));
      }
      token = answer.body.continuationToken;
      pages += 1;
    } while (token !== undefined);

    expect(pages).toBe(3);
    expect(collected.get(first)).toBe(25);
    expect(collected.get(second)).toBe(7);
  });

  it('answers 400 to a read of more than 100 series', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'A');

    const answer = await call(
      `${server.apiUrl}/query/data`,
      'POST',
      Array.from({ length: 101 }, () => ({ id })),
    );

    expect(answer.status).toBe(400);
    expect(answer.body.statusCode).toBe(400);
  });

  it('adds the neighbour points when includeOutsidePoints is true', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'A');
    await call(`${server.apiUrl}/${id}/data`, 'POST', { datapoints: points(T0, 10) });

    const answer = await call(
      `${server.apiUrl}/${id}/data/?startTime=${new Date(T0 + 3000).toISOString()}&endTime=${new Date(T0 + 5000).toISOString()}&includeOutsidePoints=True`,
    );

    expect(pointsOf(answer).map((point) => point.value)).toEqual([2, 3, 4, 5, 6]);
  });

  it('writes idempotently: one value per series and timestamp, numeric-string status accepted', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'OUT');
    const write = {
      items: [{ id, datapoints: [{ time: '2020-05-30T10:10:00Z', value: 1.5, status: '0' }] }],
    };

    const first = await call(`${server.apiUrl}/data`, 'POST', write);
    await call(`${server.apiUrl}/data`, 'POST', {
      items: [
        { id, datapoints: [{ time: '2020-05-30T10:10:00.0000000Z', value: 2.5, status: 192 }] },
      ],
    });
    const stored = await call(`${server.url}/_control/series/${id}/points`);

    expect(first.body.message).toBe('Successfully wrote datapoints to 1 timeseries');
    expect(stored.body.datapoints).toEqual([
      { time: '2020-05-30T10:10:00.000Z', value: 2.5, status: 192 },
    ]);
  });

  it('rejects a write naming an unknown series and stores nothing of it', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'OUT');

    const answer = await call(`${server.apiUrl}/data`, 'POST', {
      items: [
        { id, datapoints: points(T0, 3) },
        { id: 'no-such-id', datapoints: points(T0, 3) },
      ],
    });

    expect(answer.status).toBe(404);
    expect(server.store.countPoints(id)).toBe(0);
  });

  it('answers timestamps with seven fractional digits by default and three on request', async () => {
    const seven = await startStandin();
    const three = await startStandin({ behaviour: { facilities: ['1903'], fractionDigits: 3 } });
    const readBack = async (server: TimeSeriesApiStandin) => {
      const id = await createSeries(server, 'A');
      await call(`${server.apiUrl}/${id}/data`, 'POST', { datapoints: points(T0 + 420, 1) });
      const answer = await call(`${server.apiUrl}/${id}/data`);
      return pointsOf(answer)[0]?.time;
    };

    expect(await readBack(seven)).toBe('2020-04-20T10:00:00.4200000Z');
    expect(await readBack(three)).toBe('2020-04-20T10:00:00.420Z');
  });

  it('deletes points from start inclusive to end exclusive', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'A');
    await call(`${server.apiUrl}/${id}/data`, 'POST', { datapoints: points(T0, 5) });

    await call(
      `${server.apiUrl}/${id}/data?startTime=${new Date(T0 + 1000).toISOString()}&endTime=${new Date(T0 + 3000).toISOString()}`,
      'DELETE',
    );

    expect(server.store.readPoints(id, {}, 100).map((point) => point.value)).toEqual([0, 3, 4]);
  });

  it('patches a series and keeps the fields left out', async () => {
    const server = await startStandin();
    const id = await createSeries(server, 'A');

    const answer = await call(`${server.apiUrl}/${id}`, 'PATCH', { facility: 'skab' });

    expect(firstItem(answer)).toMatchObject({ name: 'A', facility: 'skab', step: true });
  });

  it('serves the SKAB sample, replayed so that the last hour has data', async () => {
    const seed = loadSeedConfig(SKAB_SEED);
    const server = await startStandin({ sources: seed.sources });
    const lookup = await call(`${server.apiUrl}?name=SKAB.VolumeFlowRateRMS&facility=SKAB`);
    const id = firstItem(lookup).id;
    const nowMs = Date.now();

    const recent = await call(`${server.apiUrl}/query/data`, 'POST', [
      {
        id,
        startTime: new Date(nowMs - 3_600_000).toISOString(),
        endTime: new Date(nowMs).toISOString(),
        limit: 100_000,
      },
    ]);
    const original = await call(
      `${server.apiUrl}/${id}/data?startTime=2020-03-09T10:14:33Z&endTime=2020-03-09T10:14:35Z`,
    );

    expect(itemsOf(lookup)).toHaveLength(1);
    expect(firstItem(lookup).unit).toBe('l/min');
    // About 1 147 rows every 21 minutes: an hour holds close to 3 300 points.
    expect(pointsOf(recent).length).toBeGreaterThan(3000);
    expect(pointsOf(original).length).toBeGreaterThan(0);
  });

  it('serves an empty item for an unknown id when configured so', async () => {
    const server = await startStandin({ behaviour: { facilities: [], unknownQueryId: 'empty' } });

    const answer = await call(`${server.apiUrl}/query/data`, 'POST', [{ id: 'gone' }]);

    expect(answer.status).toBe(200);
    expect(itemsOf(answer)).toEqual([{ id: 'gone', datapoints: [] }]);
  });

  it('runs as a command serving its seed file until it is stopped', async () => {
    const stop = new AbortController();
    let output = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const exit = timeSeriesApiStandinCommand.run(
      ['--config', SKAB_SEED, '--port', '0', '--fault', '{"type":"status","status":503,"times":1}'],
      { logger: silentLogger(), signal: stop.signal, out, environment: {} },
    );

    await waitUntil(() => /base_url: \S+/.test(output));
    const apiUrl = /base_url: (\S+)/.exec(output)?.[1] ?? '';
    const faulted = await call(`${apiUrl}?name=SKAB.Current&facility=SKAB`);
    const found = await call(`${apiUrl}?name=SKAB.Current&facility=SKAB`);
    stop.abort();

    expect(await exit).toBe(0);
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/plant\/timeseries\/v1\.7$/);
    expect(faulted.status).toBe(503);
    expect(itemsOf(found)).toHaveLength(1);
  });
});
