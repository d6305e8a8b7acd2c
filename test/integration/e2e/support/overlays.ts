import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import yaml from 'js-yaml';

import { RESOURCES, type RunningStandins, type StandinSecrets } from './standins.js';

/** Sections used twice are written out twice, not as YAML anchors. */
const DUMP: yaml.DumpOptions = { noRefs: true };

export interface OverlayOptions {
  readonly standins: RunningStandins;
  readonly secrets: Pick<StandinSecrets, 'clientId'>;
  /** The Time Series API's versioned base path, e.g. /plant/timeseries/v1.7. */
  readonly timeSeriesBasePath: string;
  readonly broker: string;
  readonly topic: string;
  readonly groupId: string;
  readonly interval: string;
  readonly delay: string;
}

/**
 * The environment the Latigo processes get: the secrets the overlays (and the default config)
 * reference by name, as a deployment puts them in the environment.
 */
export function latigoEnvironment(secrets: StandinSecrets): Record<string, string> {
  return {
    LATIGO_GORDO_CLIENT_SECRET: secrets.clientSecret,
    LATIGO_TIME_SERIES_CLIENT_SECRET: secrets.clientSecret,
    LATIGO_METADATA_API_CLIENT_SECRET: secrets.clientSecret,
    LATIGO_METADATA_API_APIM_KEY: secrets.apimKey,
  };
}

/**
 * Writes the scheduler and executor overlays of the production path: Kafka, Gordo, the Time
 * Series API and the metadata API, every HTTP section with Azure AD auth through the token
 * stand-in. Secrets stay `${NAME}` references.
 */
export function writeOverlays(
  folder: string,
  options: OverlayOptions,
): { scheduler: string; executor: string } {
  const { standins } = options;
  const auth = (resource: string, secretVariable: string): Record<string, unknown> => ({
    resource,
    tenant: 'latigo-e2e',
    authority_host_url: standins.tokenUrl,
    client_id: options.secrets.clientId,
    client_secret: `\${${secretVariable}}`,
    ca_file: standins.caFile,
  });
  const gordo = {
    type: 'gordo',
    connection_string: `${standins.gordoUrl}/gordo/v0/`,
    auth: auth(RESOURCES.gordo, 'LATIGO_GORDO_CLIENT_SECRET'),
  };
  const timeSeries = {
    type: 'time_series_api',
    base_url: `${standins.timeSeriesUrl}${options.timeSeriesBasePath}`,
    auth: auth(RESOURCES.timeSeries, 'LATIGO_TIME_SERIES_CLIENT_SECRET'),
  };
  const metadata = {
    type: 'metadata_api',
    base_url: standins.metadataUrl,
    auth: {
      ...auth(RESOURCES.metadata, 'LATIGO_METADATA_API_CLIENT_SECRET'),
      auto_adding_headers: { 'Ocp-Apim-Subscription-Key': '${LATIGO_METADATA_API_APIM_KEY}' },
    },
  };
  const queue = (clientId: string): Record<string, unknown> => ({
    type: 'kafka',
    brokers: options.broker,
    topic: options.topic,
    'group.id': options.groupId,
    'client.id': clientId,
    // Test-sized group timings: a stopped executor's partitions move on quickly.
    'session.timeout.ms': 6_000,
    'heartbeat.interval.ms': 500,
    'auto.commit.interval.ms': 200,
  });

  const scheduler = join(folder, 'scheduler.yaml');
  writeFileSync(
    scheduler,
    yaml.dump(
      {
        scheduler: {
          continuous_prediction_start_time: '00:00',
          continuous_prediction_interval: options.interval,
          continuous_prediction_delay: options.delay,
          run_at_once: true,
          restart_interval_sec: 0,
        },
        task_queue: queue('latigo-e2e-scheduler'),
        model_info: gordo,
        models_metadata_info: metadata,
      },
      DUMP,
    ),
  );
  const executor = join(folder, 'executor.yaml');
  writeFileSync(
    executor,
    yaml.dump(
      {
        executor: { instance_count: 2, restart_interval_sec: 0, task_retry_delay: '1s' },
        task_queue: queue('latigo-e2e-executor'),
        model_info: gordo,
        predictor: gordo,
        sensor_data: timeSeries,
        prediction_storage: timeSeries,
        prediction_metadata_storage: metadata,
      },
      DUMP,
    ),
  );
  return { scheduler, executor };
}
