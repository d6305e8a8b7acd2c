import type { CliCommand } from '../../cli/command.js';
import {
  COMMON_STANDIN_USAGE,
  commonStandinArgs,
  listOption,
  parseStandinArgs,
  serveUntilAborted,
  stringOption,
} from '../common/cli.js';
import { startMetadataApiStandin } from './metadata-api-standin.js';

/** Environment variable with the required Ocp-Apim-Subscription-Key. */
export const APIM_KEY_ENV = 'LATIGO_STANDIN_APIM_KEY';

const DEFAULT_PORT = 8401;

const OWN_OPTIONS = {
  project: { type: 'string', multiple: true },
  database: { type: 'string' },
  'subscription-key': { type: 'string' },
} as const;

const USAGE = `Usage: latigo standin metadata-api [options]

A local stand-in of the Prevent metadata API:
  GET  /ready      -> Ok
  GET  /projects   -> {"projects": [...]}   (from --project)
  POST /models     -> the record plus "model_id", stored in SQLite
  GET  /_control/models[?project_name=&model_name=]   the stored records

Options:
  --project <name>          a project GET /projects lists, repeatable (or comma-separated)
  --database <file>         SQLite file for the records (default :memory:)
  --subscription-key <key>  require this Ocp-Apim-Subscription-Key header
                            (default $${APIM_KEY_ENV}; none = not required)
  Default port ${DEFAULT_PORT}.

${COMMON_STANDIN_USAGE}`;

/** `latigo standin metadata-api`: runs the metadata API stand-in until SIGINT/SIGTERM. */
export const metadataApiStandinCommand: CliCommand = {
  name: 'metadata-api',
  summary: 'run the local metadata API stand-in',
  usage: USAGE,
  run: async (args, context) => {
    const values = parseStandinArgs(args, OWN_OPTIONS);
    if (values['help'] === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const common = commonStandinArgs(values, context.environment, DEFAULT_PORT);
    const key = stringOption(values, 'subscription-key') ?? context.environment[APIM_KEY_ENV];
    const standin = await startMetadataApiStandin({
      projects: listOption(values, 'project')
        .flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter((item) => item !== ''),
      databasePath: stringOption(values, 'database'),
      subscriptionKey: key === '' ? undefined : key,
      auth: common.auth,
      basePath: common.basePath,
      host: common.host,
      port: common.port,
      faults: common.faults,
      control: common.control,
      logger: context.logger,
    });
    return serveUntilAborted(standin, 'metadata-api', context);
  },
};
