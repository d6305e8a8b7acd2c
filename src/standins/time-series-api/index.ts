export { TIME_SERIES_API_DEFAULT_PORT, timeSeriesApiStandinCommand } from './command.js';
export {
  loadSeedConfig,
  seedConfigSchema,
  type SeedConfig,
  type SeedSource,
} from './seed-config.js';
export {
  DEFAULT_TIME_SERIES_BASE_PATH,
  startTimeSeriesApiStandin,
  type TimeSeriesApiStandin,
  type TimeSeriesApiStandinOptions,
} from './server.js';
export { SeriesStore, type SeriesRow, type StoredPoint } from './store.js';
