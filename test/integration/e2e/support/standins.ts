import { join } from 'node:path';

import { startLatigo, type LatigoProcess } from '../../../support/latigo-process.js';
import { TIME_SERIES_SEED } from './seeds.js';

/** The credentials and audiences the stand-ins and Latigo share in the end-to-end test. */
export interface StandinSecrets {
  /** Signs and verifies the tokens (LATIGO_STANDIN_TOKEN_SECRET). */
  readonly tokenSecret: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The metadata API's Ocp-Apim-Subscription-Key. */
  readonly apimKey: string;
}

/** The resource (token audience) of each service, as in an Azure AD app registration. */
export const RESOURCES = {
  gordo: 'api://latigo-e2e/gordo',
  timeSeries: 'api://latigo-e2e/time-series-api',
  metadata: 'api://latigo-e2e/metadata-api',
} as const;

export interface RunningStandins {
  readonly processes: readonly LatigoProcess[];
  /** https://127.0.0.1:<port> of the token stand-in, and the certificate clients must trust. */
  readonly tokenUrl: string;
  readonly caFile: string;
  /** http://127.0.0.1:<port> of each stand-in (without base path). */
  readonly timeSeriesUrl: string;
  readonly gordoUrl: string;
  readonly metadataUrl: string;
}

/**
 * Starts the token, Time Series API, Gordo and metadata API stand-ins as `latigo standin`
 * processes on free loopback ports, all checking tokens signed with the shared secret.
 */
export async function startStandins(
  folder: string,
  secrets: StandinSecrets,
  options: { gordoConfig: string; projects: readonly string[] },
): Promise<RunningStandins> {
  const environment = { LATIGO_STANDIN_TOKEN_SECRET: secrets.tokenSecret };
  const caFile = join(folder, 'token-ca.pem');
  const local = ['--host', '127.0.0.1', '--port', '0'];
  const processes = [
    startLatigo(
      'token stand-in',
      [
        'standin',
        'token',
        ...local,
        '--client',
        `${secrets.clientId}:${secrets.clientSecret}`,
        '--write-ca',
        caFile,
      ],
      environment,
    ),
    startLatigo(
      'time series API stand-in',
      [
        'standin',
        'time-series-api',
        ...local,
        '--config',
        TIME_SERIES_SEED,
        '--audience',
        RESOURCES.timeSeries,
      ],
      environment,
    ),
    startLatigo(
      'gordo stand-in',
      [
        'standin',
        'gordo',
        ...local,
        '--config',
        options.gordoConfig,
        '--audience',
        RESOURCES.gordo,
      ],
      environment,
    ),
    startLatigo(
      'metadata API stand-in',
      [
        'standin',
        'metadata-api',
        ...local,
        '--project',
        options.projects.join(','),
        '--audience',
        RESOURCES.metadata,
      ],
      { ...environment, LATIGO_STANDIN_APIM_KEY: secrets.apimKey },
    ),
  ];
  const [tokenUrl, timeSeriesUrl, gordoUrl, metadataUrl] = await Promise.all(
    processes.map((standin) => listeningUrl(standin)),
  );
  return {
    processes,
    tokenUrl: tokenUrl!,
    caFile,
    timeSeriesUrl: timeSeriesUrl!,
    gordoUrl: gordoUrl!,
    metadataUrl: metadataUrl!,
  };
}

/** The URL a stand-in prints once it serves ("<name> stand-in listening on <url>"). */
async function listeningUrl(standin: LatigoProcess): Promise<string> {
  const pattern = /stand-in listening on (\S+)/;
  const line = await standin.waitForLine('its URL', (candidate) => pattern.test(candidate.text));
  return pattern.exec(line.text)?.[1] ?? '';
}
