import { join } from 'node:path';

import { packageRoot } from '../util/package-root.js';
import type { ProviderRegistry, ResolvedSection } from '../registry/registry.js';
import {
  mergeLayers,
  readConfigFile,
  substituteEnvironment,
  validateConfig,
  type ConfigLayer,
  type LayeredConfig,
} from './load.js';
import {
  executorConfigSchema,
  schedulerConfigSchema,
  type ExecutorSection,
  type SchedulerSection,
} from './schema.js';

export const SCHEDULER_CONFIG_ENV = 'LATIGO_SCHEDULER_CONFIG_FILE';
export const EXECUTOR_CONFIG_ENV = 'LATIGO_EXECUTOR_CONFIG_FILE';

/** The scheduler's config after validation: every section resolved, read-only. */
export interface SchedulerConfig {
  readonly files: readonly string[];
  readonly scheduler: SchedulerSection;
  readonly taskQueue: ResolvedSection<'task_queue'>;
  readonly modelInfo: ResolvedSection<'model_info'>;
  readonly projects: ResolvedSection<'projects'>;
}

/** The executor's config after validation. */
export interface ExecutorConfig {
  readonly files: readonly string[];
  readonly executor: ExecutorSection;
  readonly taskQueue: ResolvedSection<'task_queue'>;
  readonly modelInfo: ResolvedSection<'model_info'>;
  readonly predictor: ResolvedSection<'prediction_execution'>;
  readonly sensorData: ResolvedSection<'sensor_data'>;
  readonly predictionStorage: ResolvedSection<'prediction_storage'>;
  readonly metadataStorage: ResolvedSection<'prediction_metadata_storage'>;
}

export interface LoadOptions {
  /** Overlay file; defaults to the environment variable of the role. */
  readonly overlayFile?: string | undefined;
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Folder of the default files; defaults to the project's deploy/. */
  readonly defaultsDir?: string;
}

/** The project's deploy/ folder, found from this module's location (src or dist). */
export function defaultDeployDir(): string {
  return join(packageRoot(), 'deploy');
}

/** Environment variable naming Latigo's installation folder; set by Latigo when unset. */
export const LATIGO_HOME_ENV = 'LATIGO_HOME';

function layered(
  defaultsFile: string,
  overlayFile: string | undefined,
  env: LoadOptions['environment'],
): LayeredConfig {
  const layers: ConfigLayer[] = [readConfigFile(defaultsFile)];
  if (overlayFile !== undefined && overlayFile !== '') {
    layers.push(readConfigFile(overlayFile));
  }
  const environment = { [LATIGO_HOME_ENV]: packageRoot(), ...(env ?? process.env) };
  return substituteEnvironment(mergeLayers(layers), environment);
}

export function loadSchedulerConfig(
  registry: ProviderRegistry,
  options: LoadOptions = {},
): SchedulerConfig {
  const environment = options.environment ?? process.env;
  const config = layered(
    join(options.defaultsDir ?? defaultDeployDir(), 'scheduler_config.yaml'),
    options.overlayFile ?? environment[SCHEDULER_CONFIG_ENV],
    environment,
  );
  const top = validateConfig(config, schedulerConfigSchema);
  return Object.freeze({
    files: config.layers.map((layer) => layer.file),
    scheduler: Object.freeze(top.scheduler),
    taskQueue: registry.resolve('task_queue', config, ['task_queue'], top.task_queue),
    modelInfo: registry.resolve('model_info', config, ['model_info'], top.model_info),
    projects: registry.resolve(
      'projects',
      config,
      ['models_metadata_info'],
      top.models_metadata_info,
    ),
  });
}

export function loadExecutorConfig(
  registry: ProviderRegistry,
  options: LoadOptions = {},
): ExecutorConfig {
  const environment = options.environment ?? process.env;
  const config = layered(
    join(options.defaultsDir ?? defaultDeployDir(), 'executor_config.yaml'),
    options.overlayFile ?? environment[EXECUTOR_CONFIG_ENV],
    environment,
  );
  const top = validateConfig(config, executorConfigSchema);
  return Object.freeze({
    files: config.layers.map((layer) => layer.file),
    executor: Object.freeze(top.executor),
    taskQueue: registry.resolve('task_queue', config, ['task_queue'], top.task_queue),
    modelInfo: registry.resolve('model_info', config, ['model_info'], top.model_info),
    predictor: registry.resolve('prediction_execution', config, ['predictor'], top.predictor),
    sensorData: registry.resolve('sensor_data', config, ['sensor_data'], top.sensor_data),
    predictionStorage: registry.resolve(
      'prediction_storage',
      config,
      ['prediction_storage'],
      top.prediction_storage,
    ),
    metadataStorage: registry.resolve(
      'prediction_metadata_storage',
      config,
      ['prediction_metadata_storage'],
      top.prediction_metadata_storage,
    ),
  });
}
