import { describe } from 'vitest';

import { silentLogger } from '../../../src/logging/logger.js';
import {
  startTimeSeriesApiStandin,
  type TimeSeriesApiStandin,
} from '../../../src/standins/time-series-api/server.js';
import { describePredictionStorageContract } from '../../contract/prediction-storage.contract.js';
import { describeSensorDataProviderContract } from '../../contract/sensor-data-provider.contract.js';
import { predictionStorageFor, sensorDataFor, seedSeries } from './support.js';

async function contractStandin(): Promise<TimeSeriesApiStandin> {
  return startTimeSeriesApiStandin({
    logger: silentLogger(),
    behaviour: { facilities: ['CONTRACT'] },
  });
}

describe('the time_series_api providers against the Time Series API stand-in', () => {
  describeSensorDataProviderContract('time_series_api sensor data', async (fixture) => {
    const server = await contractStandin();
    for (const series of fixture.series) {
      seedSeries(
        server,
        series.tag.name,
        'CONTRACT',
        series.timesMs.map((timeMs, index) => ({
          timeMs,
          value: series.values[index] ?? Number.NaN,
          status: 192,
        })),
      );
    }
    // A small page size so the contract's reads also cross page boundaries.
    const provider = await sensorDataFor(server, { page_limit: 4 });
    return { provider, close: () => server.close() };
  });

  describePredictionStorageContract('time_series_api prediction storage', async () => {
    const server = await contractStandin();
    // The input tags, whose facility names the output series.
    seedSeries(server, 'CONTRACT.A', 'CONTRACT');
    seedSeries(server, 'CONTRACT.B', 'CONTRACT');
    const storage = await predictionStorageFor(server, { points_per_write: 5 });
    return {
      storage,
      readPoints: (seriesName) => {
        const series = server.store.findExact(seriesName, 'CONTRACT');
        const points =
          series === undefined
            ? []
            : server.store.readPoints(series.id, {}, Number.MAX_SAFE_INTEGER);
        return Promise.resolve(points.map(({ timeMs, value }) => ({ timeMs, value })));
      },
      close: () => server.close(),
    };
  });
});
