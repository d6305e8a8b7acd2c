import { describe, expect, it } from 'vitest';

import { timeSeriesApiPredictionStorageSchema, timeSeriesApiSensorDataSchema } from './config.js';

const BASE = { type: 'time_series_api', base_url: 'http://127.0.0.1:8402/plant/timeseries/v1.7' };

function problems(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('time_series_api config sections', () => {
  it('fill every default of the sensor_data section', () => {
    const config = timeSeriesApiSensorDataSchema.parse(BASE);

    expect(config).toMatchObject({
      async: false,
      cache_ttl: 86_400_000,
      lookup_parallelism: 8,
      page_limit: 100_000,
      ids_per_read: 100,
      http: { timeout: 30_000 },
    });
    expect(config.facility).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('fill every default of the prediction_storage section', () => {
    expect(timeSeriesApiPredictionStorageSchema.parse(BASE)).toMatchObject({
      async: false,
      points_per_write: 10_000,
      status: 192,
    });
  });

  it('say where an empty base_url comes from', () => {
    const result = timeSeriesApiSensorDataSchema.safeParse({ ...BASE, base_url: '' });

    expect(problems(result)).toEqual([
      expect.stringContaining(
        'base_url: is empty: set the versioned Time Series API URL',
      ) as unknown,
    ]);
  });

  it('refuse limits the API does not allow and keys of the other section', () => {
    expect(
      problems(timeSeriesApiSensorDataSchema.safeParse({ ...BASE, ids_per_read: 101 })),
    ).toEqual(['ids_per_read: must be at most 100, got 101']);
    expect(problems(timeSeriesApiSensorDataSchema.safeParse({ ...BASE, status: 0 }))).toHaveLength(
      1,
    );
  });
});

describe('Time Series API base_url with credentials', () => {
  it('should be refused, so the password is never printed or logged with the URL', () => {
    const result = timeSeriesApiSensorDataSchema.safeParse({
      ...BASE,
      base_url: 'http://user:pw@127.0.0.1:8402/plant/timeseries/v1.7',
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('must not carry credentials');
  });
});
