import type { CliCommand } from '../../cli/command.js';
import { LatigoError } from '../../errors/index.js';
import {
  COMMON_STANDIN_USAGE,
  commonStandinArgs,
  parseStandinArgs,
  serveUntilAborted,
  stringOption,
} from '../common/index.js';
import { loadSeedConfig, seedConfigSchema, type SeedConfig } from './seed-config.js';
import { startTimeSeriesApiStandin } from './server.js';

/** Port of `latigo standin time-series-api` when --port is not given. */
export const TIME_SERIES_API_DEFAULT_PORT = 8402;

const OWN_OPTIONS = {
  config: { type: 'string' },
  database: { type: 'string' },
} as const;

const USAGE = `Usage: latigo standin time-series-api [--config <seed.yaml>] [options]

Serves the Omnia Time Series API (find, create and patch series; read pages of raw points;
write points) on 127.0.0.1 below a versioned prefix, backed by SQLite and seeded from CSV files.
Clients use http://127.0.0.1:<port><base path> as base_url.

Options:
  --config <file>         seed file (YAML): database, base path, facilities, CSV sources and
                          their replay; e.g. deploy/standins/time-series-api.yaml
  --database <file>       SQLite file (overrides the seed file); ':memory:' keeps nothing
  --port <number>         default ${TIME_SERIES_API_DEFAULT_PORT}

${COMMON_STANDIN_USAGE}

Test endpoints (no token): GET /_control/series?name=&facility= lists series with point counts;
GET /_control/series/<id>/points answers every stored point of one series.`;

/** `latigo standin time-series-api`. */
export const timeSeriesApiStandinCommand: CliCommand = {
  name: 'time-series-api',
  summary: 'the Omnia Time Series API, backed by SQLite and seeded from CSV',
  usage: USAGE,
  async run(args, context) {
    const values = parseStandinArgs(args, OWN_OPTIONS);
    if (values['help'] === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const common = commonStandinArgs(values, context.environment, TIME_SERIES_API_DEFAULT_PORT);
    const configFile = stringOption(values, 'config');
    const seed: SeedConfig =
      configFile === undefined ? seedConfigSchema.parse({}) : loadSeedConfig(configFile);
    const database = stringOption(values, 'database') ?? seed.database;
    if (database === '') {
      throw new LatigoError('CONFIG_INVALID', '--database: expected a file name or :memory:');
    }
    const server = await startTimeSeriesApiStandin({
      logger: context.logger,
      host: common.host,
      port: common.port,
      basePath: common.basePath ?? seed.base_path,
      database,
      behaviour: {
        fractionDigits: seed.fraction_digits,
        facilities: seed.facilities,
        unknownQueryId: seed.unknown_query_id,
        asyncByDefault: seed.async_by_default,
      },
      sources: seed.sources,
      auth: common.auth,
      faults: common.faults,
      control: common.control,
    });
    context.out.write(`time series API base_url: ${server.apiUrl}\n`);
    return serveUntilAborted(server, 'time-series-api', context);
  },
};
