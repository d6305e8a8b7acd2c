import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SensorTag, TagSeries } from '../../src/domain/sensor.js';
import type { TimeRange } from '../../src/domain/time-range.js';
import { LatigoError } from '../../src/errors/index.js';
import type { SensorDataProvider } from '../../src/interfaces/index.js';

/** The data every implementation is seeded with: whole-second times, finite values. */
export interface SensorDataContractFixture {
  readonly series: readonly TagSeries[];
}

/** A provider serving the fixture, and how to release it. */
export interface SensorDataContractSubject {
  readonly provider: SensorDataProvider;
  readonly close?: () => Promise<void>;
}

/** 2024-01-01T00:00:00Z. */
export const CONTRACT_T0_MS = Date.UTC(2024, 0, 1);
const SECOND_MS = 1_000;

const TAG_A: SensorTag = { name: 'CONTRACT.A', asset: 'CONTRACT' };
const TAG_B: SensorTag = { name: 'CONTRACT.B', asset: 'CONTRACT' };
const TAG_SPARSE: SensorTag = { name: 'CONTRACT.SPARSE', asset: 'CONTRACT' };

function seconds(offset: number): number {
  return CONTRACT_T0_MS + offset * SECOND_MS;
}

function regular(tag: SensorTag, firstSecond: number, stepSeconds: number, count: number) {
  const offsets = Array.from(
    { length: count },
    (_unused, index) => firstSecond + index * stepSeconds,
  );
  return {
    tag,
    timesMs: offsets.map(seconds),
    values: offsets.map((offset) => 100 + offset * 1.5),
  };
}

/**
 * A: every 10 s from T0 to T0+120s; B: every 30 s from T0+5s to T0+95s; SPARSE: one point at
 * T0+200s. Values are `100 + 1.5 × seconds after T0`.
 */
export const SENSOR_DATA_CONTRACT_FIXTURE: SensorDataContractFixture = {
  series: [regular(TAG_A, 0, 10, 13), regular(TAG_B, 5, 30, 4), regular(TAG_SPARSE, 200, 1, 1)],
};

function range(fromSecond: number, toSecond: number): TimeRange {
  return { fromMs: seconds(fromSecond), toMs: seconds(toSecond) };
}

function offsetsOf(series: TagSeries | undefined): number[] {
  return (series?.timesMs ?? []).map((time) => (time - CONTRACT_T0_MS) / SECOND_MS);
}

/**
 * The promises of SensorDataProvider, run against one implementation. `makeProvider` seeds its
 * backend with the fixture (tags by name; assets may be ignored) and returns a provider reading
 * it.
 */
export function describeSensorDataProviderContract(
  name: string,
  makeProvider: (fixture: SensorDataContractFixture) => Promise<SensorDataContractSubject>,
): void {
  describe(`${name} (sensor data provider contract)`, () => {
    let subject: SensorDataContractSubject;

    beforeAll(async () => {
      subject = await makeProvider(SENSOR_DATA_CONTRACT_FIXTURE);
    });

    afterAll(async () => {
      await subject.close?.();
    });

    it('returns every point of each tag inside the range, in time order', async () => {
      const data = await subject.provider.getDataForRange({ tags: [TAG_A, TAG_B] }, range(0, 60));

      expect(data.range).toEqual(range(0, 60));
      expect(data.series.map((series) => series.tag.name)).toEqual([TAG_A.name, TAG_B.name]);
      expect(offsetsOf(data.series[0])).toEqual([0, 10, 20, 30, 40, 50]);
      expect(data.series[0]?.values).toEqual([100, 115, 130, 145, 160, 175]);
      expect(offsetsOf(data.series[1])).toEqual([5, 35]);
      expect(data.series[1]?.values).toEqual([107.5, 152.5]);
    });

    it('answers in the order of the spec', async () => {
      const data = await subject.provider.getDataForRange({ tags: [TAG_B, TAG_A] }, range(0, 60));

      expect(data.series.map((series) => series.tag.name)).toEqual([TAG_B.name, TAG_A.name]);
    });

    it('includes a point at the start of the range and excludes one at its end', async () => {
      const data = await subject.provider.getDataForRange({ tags: [TAG_A] }, range(10, 30));

      expect(offsetsOf(data.series[0])).toEqual([10, 20]);
    });

    it('splits consecutive ranges without losing or repeating a point', async () => {
      const first = await subject.provider.getDataForRange({ tags: [TAG_A] }, range(0, 60));
      const second = await subject.provider.getDataForRange({ tags: [TAG_A] }, range(60, 120));
      const whole = await subject.provider.getDataForRange({ tags: [TAG_A] }, range(0, 120));

      expect([...offsetsOf(first.series[0]), ...offsetsOf(second.series[0])]).toEqual(
        offsetsOf(whole.series[0]),
      );
    });

    it('throws SENSOR_DATA_MISSING naming a tag without data in the range', async () => {
      const reading = subject.provider.getDataForRange({ tags: [TAG_A, TAG_SPARSE] }, range(0, 60));

      await expect(reading).rejects.toBeInstanceOf(LatigoError);
      await expect(reading).rejects.toMatchObject({
        code: 'SENSOR_DATA_MISSING',
        message: expect.stringContaining(TAG_SPARSE.name) as unknown,
      });
    });

    it('rejects a tag it does not know, naming it', async () => {
      const reading = subject.provider.getDataForRange(
        { tags: [{ name: 'CONTRACT.UNKNOWN', asset: 'CONTRACT' }] },
        range(0, 60),
      );

      await expect(reading).rejects.toBeInstanceOf(LatigoError);
      await expect(reading).rejects.toThrow(/CONTRACT\.UNKNOWN/);
    });
  });
}
