import { describe, expect, it } from 'vitest';

import type { SensorTag } from '../../../src/domain/sensor.js';
import type { TimeRange } from '../../../src/domain/time-range.js';
import {
  regularPoints,
  requestLines,
  seedSeries,
  sensorDataFor,
  startStandin,
  waitUntil,
} from './support.js';

const T0 = Date.parse('2020-04-20T10:00:00Z');
const WINDOW: TimeRange = { fromMs: T0, toMs: T0 + 60_000 };

function tags(...names: string[]): { tags: SensorTag[] } {
  return { tags: names.map((name) => ({ name, asset: '1313' })) };
}

describe('time_series_api sensor data', () => {
  it('reads a window with more points than a page by following continuation tokens', async () => {
    const server = await startStandin();
    seedSeries(server, 'GRA-TE -23-0701.PV', '1903', regularPoints(T0, 60));
    seedSeries(server, 'GRA-FOI -13-0979.PV', '1903', regularPoints(T0, 30, 2000));
    const provider = await sensorDataFor(server, { page_limit: 25 });

    const data = await provider.getDataForRange(
      tags('GRA-TE -23-0701.PV', 'GRA-FOI -13-0979.PV'),
      WINDOW,
    );

    expect(data.series.map((series) => series.timesMs.length)).toEqual([60, 30]);
    expect(data.series[0]?.values.slice(0, 3)).toEqual([0, 1, 2]);
    expect(requestLines(server, 'POST')).toEqual([
      'POST /query/data',
      'POST /query/data',
      'POST /query/data',
    ]);
  });

  it('reads many tags in batches of ids_per_read', async () => {
    const server = await startStandin();
    const names = ['T1', 'T2', 'T3', 'T4', 'T5'];
    names.forEach((name) => seedSeries(server, name, '1903', regularPoints(T0, 3)));
    const provider = await sensorDataFor(server, { ids_per_read: 2 });

    const data = await provider.getDataForRange(tags(...names), WINDOW);

    expect(data.series.map((series) => series.tag.name)).toEqual(names);
    expect(requestLines(server, 'POST')).toHaveLength(3);
  });

  it('keeps points in [from, to): one exactly at the end is left out', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', [
      { timeMs: T0 - 1, value: 1, status: 192 },
      { timeMs: T0, value: 2, status: 192 },
      { timeMs: T0 + 60_000, value: 3, status: 192 },
    ]);
    const provider = await sensorDataFor(server);

    const data = await provider.getDataForRange(tags('A'), WINDOW);

    expect(data.series[0]?.timesMs).toEqual([T0]);
  });

  it('parses timestamps with seven fractional digits', async () => {
    const server = await startStandin({ behaviour: { facilities: [], fractionDigits: 7 } });
    seedSeries(server, 'A', '1903', [{ timeMs: T0 + 420, value: 1, status: 192 }]);
    const provider = await sensorDataFor(server);

    const data = await provider.getDataForRange(tags('A'), WINDOW);

    expect(data.series[0]?.timesMs).toEqual([T0 + 420]);
  });

  it('fails with SENSOR_DATA_MISSING naming a tag without data in the window', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    seedSeries(server, 'QUIET', '1903', regularPoints(T0 - 3_600_000, 5));
    const provider = await sensorDataFor(server);

    const reading = provider.getDataForRange(tags('A', 'QUIET'), WINDOW);

    await expect(reading).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      message:
        'no data in [2020-04-20T10:00:00Z, 2020-04-20T10:01:00Z) for tag "QUIET" in the time series API (facility "1903")',
      context: { tag: 'QUIET' },
    });
  });

  it('fails with SENSOR_DATA_MISSING naming every tag not found in the facility', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    seedSeries(server, 'ELSEWHERE', 'SKAB', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);

    const reading = provider.getDataForRange(tags('A', 'ELSEWHERE', 'NOWHERE'), WINDOW);

    await expect(reading).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      message: expect.stringContaining(
        'tags "ELSEWHERE", "NOWHERE" not found in facility "1903"',
      ) as unknown,
    });
  });

  it('says which missing tags only the row filter reads', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    seedSeries(server, 'QUIET', '1903', regularPoints(T0 - 3_600_000, 5));
    const provider = await sensorDataFor(server);
    const trigger = (name: string): SensorTag => ({
      name,
      asset: '1313',
      readFor: 'the row filter',
    });

    const notFound = provider.getDataForRange(
      { tags: [...tags('A').tags, trigger('FLOW'), ...tags('NOWHERE').tags] },
      WINDOW,
    );
    const empty = provider.getDataForRange({ tags: [...tags('A').tags, trigger('QUIET')] }, WINDOW);

    await expect(notFound).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      message: expect.stringContaining(
        'tags "FLOW" (read for the row filter), "NOWHERE" not found in facility "1903"',
      ) as unknown,
    });
    await expect(empty).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      message: expect.stringContaining(
        'for tag "QUIET" (read for the row filter) in the time series API',
      ) as unknown,
    });
  });

  it('finds tags in the configured facility without looking up the first tag', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    seedSeries(server, 'A', 'SKAB', regularPoints(T0, 7));
    const provider = await sensorDataFor(server, { facility: 'skab' });

    const data = await provider.getDataForRange(tags('A'), WINDOW);

    expect(data.series[0]?.timesMs).toHaveLength(7);
  });

  it('asks for the facility when the first tag exists in several', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    seedSeries(server, 'A', 'SKAB', regularPoints(T0, 7));
    const provider = await sensorDataFor(server);

    await expect(provider.getDataForRange(tags('A'), WINDOW)).rejects.toThrow(
      'tag "A" exists in several facilities (1903, SKAB) of the time series API; set sensor_data.facility',
    );
  });

  it('waits as a 429 Retry-After says, then succeeds', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);
    server.faults.add([
      { type: 'status', status: 429, retryAfter: '1', path: '/query/data', times: 1 },
    ]);

    const data = await provider.getDataForRange(tags('A'), WINDOW);

    const reads = server.requests.list().filter((entry) => entry.path === '/query/data');
    expect(data.series[0]?.timesMs).toHaveLength(5);
    expect(reads.map((entry) => entry.status)).toEqual([429, 200]);
    expect((reads[1]?.receivedMs ?? 0) - (reads[0]?.receivedMs ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries a 502 with an empty body', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);
    server.faults.add([{ type: 'status', status: 502, body: '', path: '/query/data', times: 2 }]);

    const data = await provider.getDataForRange(tags('A'), WINDOW);

    expect(data.series[0]?.timesMs).toHaveLength(5);
    expect(requestLines(server, 'POST')).toHaveLength(3);
  });

  it('fails clearly, without retrying, when a 2xx answer is a sign-in page', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);
    server.faults.add([
      { type: 'status', status: 200, body: '<html><body>Sign in</body></html>', path: '/' },
    ]);

    const reading = provider.getDataForRange(tags('A'), WINDOW);

    await expect(reading).rejects.toMatchObject({ code: 'HTTP_BAD_RESPONSE', retriable: false });
    await expect(reading).rejects.toThrow(/not JSON.*Sign in/);
    expect(server.requests.list()).toHaveLength(1);
  });

  it('gives up after the configured attempts when the API keeps timing out', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server, {
      http: { timeout: '200ms', retry: { attempts: 2, base_delay: '1ms' } },
    });
    server.faults.add([{ type: 'timeout', path: '/query/data' }]);

    await expect(provider.getDataForRange(tags('A'), WINDOW)).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
      retriable: true,
    });
    expect(requestLines(server, 'POST')).toHaveLength(2);
  });

  it('caches found ids, but looks up again a name that was missing', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);

    await provider.getDataForRange(tags('A'), WINDOW);
    await provider.getDataForRange(tags('A'), WINDOW);
    await expect(provider.getDataForRange(tags('A', 'LATE'), WINDOW)).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
    });
    seedSeries(server, 'LATE', '1903', regularPoints(T0, 5));
    const later = await provider.getDataForRange(tags('A', 'LATE'), WINDOW);

    expect(later.series.map((series) => series.timesMs.length)).toEqual([5, 5]);
    // Name lookups: A (facility of the first tag, which also gives its id), LATE twice.
    expect(requestLines(server, 'GET')).toHaveLength(3);
  });

  it('looks ids up again once the cache time to live has passed', async () => {
    const server = await startStandin();
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server, { cache_ttl: '300ms' });

    await provider.getDataForRange(tags('A'), WINDOW);
    await provider.getDataForRange(tags('A'), WINDOW);
    const cachedLookups = requestLines(server, 'GET').length;
    await waitUntil(() => Date.now() - (server.requests.list()[0]?.receivedMs ?? 0) > 500);
    await provider.getDataForRange(tags('A'), WINDOW);

    expect(cachedLookups).toBe(1);
    expect(requestLines(server, 'GET')).toHaveLength(2);
  });

  it('drops stale cached ids after a 404 so the next attempt finds the new series', async () => {
    const server = await startStandin();
    const oldId = seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);
    await provider.getDataForRange(tags('A'), WINDOW);
    server.store.delete(oldId);
    seedSeries(server, 'A', '1903', regularPoints(T0, 8));

    await expect(provider.getDataForRange(tags('A'), WINDOW)).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retriable: true,
    });
    const retried = await provider.getDataForRange(tags('A'), WINDOW);

    expect(retried.series[0]?.timesMs).toHaveLength(8);
  });
});
