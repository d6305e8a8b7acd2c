import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  mergeLayers,
  readConfigFile,
  substituteEnvironment,
  validateConfig,
} from '../../config/load.js';
import { packageRoot } from '../../util/package-root.js';
import { ignoredGordoKeys } from './gordo-client-pool.js';
import { gordoSectionSchema } from './gordo-config.js';

const LOCAL = 'http://127.0.0.1:5555/gordo/v0/';

function deploySection(file: string, section: string, environment: Record<string, string> = {}) {
  const config = substituteEnvironment(
    mergeLayers([readConfigFile(join(packageRoot(), 'deploy', file))]),
    environment,
  );
  return validateConfig(config, gordoSectionSchema, config.merged[section], [section]);
}

describe('the gordo config sections', () => {
  it.each([
    ['scheduler_config.yaml', 'model_info'],
    ['executor_config.yaml', 'model_info'],
    ['executor_config.yaml', 'predictor'],
  ])('%s %s holds every key with the defaults of the schema', (file, section) => {
    const fromFile = deploySection(file, section, { LATIGO_GORDO_CONNECTION_STRING: LOCAL });
    const defaults = gordoSectionSchema.parse({ type: 'gordo', connection_string: LOCAL });
    expect({ ...fromFile, auth: undefined }).toEqual({ ...defaults, auth: undefined });
    expect(fromFile.auth?.client_id).toBe('');
  });

  it('has the spec defaults', () => {
    expect(gordoSectionSchema.parse({ type: 'gordo', connection_string: LOCAL })).toMatchObject({
      target: null,
      metadata: null,
      batch_size: 1000,
      parallelism: 10,
      forward_resampled_sensors: false,
      ignore_unhealthy_targets: true,
      n_retries: 5,
      use_parquet: true,
      data_provider: { debug: true, n_retries: 5 },
      prediction_forwarder: { debug: false, n_retries: 5 },
      http: { timeout: 60_000 },
      revisions_cache_ttl: 5_000,
      models_cache_ttl: 30_000,
      metadata_cache_ttl: 600_000,
      all_columns: false,
    });
  });

  it('says where the empty connection string comes from', () => {
    expect(() => deploySection('executor_config.yaml', 'predictor')).toThrow(
      /executor_config.yaml: predictor.connection_string: is empty: .*LATIGO_GORDO_CONNECTION_STRING/,
    );
  });

  it('refuses a connection string without the gordo API path, without repeating it', () => {
    const parsed = gordoSectionSchema.safeParse({
      type: 'gordo',
      connection_string: 'https://h/x',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(
      /^must have a path ending in \/gordo\/v<digits>/,
    );
  });

  it('refuses unknown keys and bad values', () => {
    expect(
      gordoSectionSchema.safeParse({ type: 'gordo', connection_string: LOCAL, batchsize: 5 })
        .success,
    ).toBe(false);
    expect(
      gordoSectionSchema.safeParse({ type: 'gordo', connection_string: LOCAL, batch_size: 0 })
        .success,
    ).toBe(false);
  });

  it('names the spec keys it accepts but does not use', () => {
    const config = gordoSectionSchema.parse({
      type: 'gordo',
      connection_string: LOCAL,
      metadata: { a: 1 },
    });
    expect(Object.keys(ignoredGordoKeys(config)).sort()).toEqual([
      'data_provider',
      'metadata',
      'prediction_forwarder',
      'use_parquet',
    ]);
  });
});
