import { join } from 'node:path';

import type { CliCommand } from '../../cli/command.js';
import { packageRoot } from '../../util/package-root.js';
import {
  COMMON_STANDIN_USAGE,
  commonStandinArgs,
  parseStandinArgs,
  serveUntilAborted,
  stringOption,
} from '../common/index.js';
import { startGordoStandin } from './gordo-standin.js';
import { loadGordoStandinConfig } from './standin-config.js';

/** Port of `latigo standin gordo` when --port is not given. */
export const GORDO_DEFAULT_PORT = 5555;

const OWN_OPTIONS = {
  config: { type: 'string' },
} as const;

const USAGE = `Usage: latigo standin gordo [--config <gordo.yaml>] [options]

Serves the Gordo ML server API (revisions, models, metadata, anomaly and plain prediction) on
127.0.0.1 for models it trains at start with Latigo's builtin anomaly model on CSV data.
Clients use http://127.0.0.1:<port>/gordo/v0/ as connection_string.

Options:
  --config <file>         the stand-in's YAML file: CSV sources and, per project, revisions and
                          models (default deploy/standins/gordo.yaml)
  --port <number>         default ${GORDO_DEFAULT_PORT}

${COMMON_STANDIN_USAGE}

Test endpoints (no token): GET /_control/gordo shows projects, revisions and models;
POST /_control/gordo/current-revision {"project","revision"} switches the served revision;
POST /_control/gordo/anomaly-endpoint {"project","model","revision"?,"enabled"} makes a model's
anomaly endpoint answer 422 (enabled false) or work again.`;

/** `latigo standin gordo`. */
export const gordoStandinCommand: CliCommand = {
  name: 'gordo',
  summary: 'the Gordo ML server, with models trained at start on CSV data',
  usage: USAGE,
  async run(args, context) {
    const values = parseStandinArgs(args, OWN_OPTIONS);
    if (values['help'] === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const common = commonStandinArgs(values, context.environment, GORDO_DEFAULT_PORT);
    const configFile =
      stringOption(values, 'config') ?? join(packageRoot(), 'deploy', 'standins', 'gordo.yaml');
    const server = await startGordoStandin({
      config: loadGordoStandinConfig(configFile),
      host: common.host,
      port: common.port,
      auth: common.auth,
      faults: common.faults,
      control: common.control,
      logger: context.logger,
    });
    context.out.write(`gordo connection_string: ${server.connectionString}\n`);
    return serveUntilAborted(server, 'gordo', context);
  },
};
