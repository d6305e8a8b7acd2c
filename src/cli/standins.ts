import { gordoStandinCommand } from '../standins/gordo/index.js';
import { metadataApiStandinCommand } from '../standins/metadata-api/index.js';
import { timeSeriesApiStandinCommand } from '../standins/time-series-api/index.js';
import { tokenStandinCommand } from '../standins/token/index.js';
import type { CliCommand } from './command.js';

/** The stand-ins `latigo standin` can start. */
export function standinCommands(): readonly CliCommand[] {
  return [
    tokenStandinCommand,
    timeSeriesApiStandinCommand,
    gordoStandinCommand,
    metadataApiStandinCommand,
  ];
}
