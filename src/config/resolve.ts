import { join } from 'node:path';

import { packageRoot } from '../util/package-root.js';
import { LatigoError } from '../errors/index.js';
import type { ProviderKind, ProviderRegistry, ResolvedSection } from '../registry/registry.js';
import {
  mergeLayers,
  readConfigFile,
  substituteEnvironment,
  type UnsetVariable,
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
  /** The merged YAML after `${NAME}` substitution, as the user's keys spell it. */
  readonly merged: Readonly<Record<string, unknown>>;
  readonly scheduler: SchedulerSection;
  readonly taskQueue: ResolvedSection<'task_queue'>;
  readonly modelInfo: ResolvedSection<'model_info'>;
  readonly projects: ResolvedSection<'projects'>;
}

/** The executor's config after validation. */
export interface ExecutorConfig {
  readonly files: readonly string[];
  /** The merged YAML after `${NAME}` substitution, as the user's keys spell it. */
  readonly merged: Readonly<Record<string, unknown>>;
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

/**
 * A role's configuration layers (its defaults file from `deploy/`, the overlay from the options
 * or the role's LATIGO_*_CONFIG_FILE variable), merged, with `${NAME}` substituted from the
 * environment: in every section, or only in `sections` when given (so that a command reading one
 * section does not need the variables of the others).
 */
export function loadLayers(
  role: 'scheduler' | 'executor',
  options: LoadOptions = {},
  sections?: readonly string[],
  collectUnset = false,
): LayeredConfig {
  const environment = options.environment ?? process.env;
  const variable = role === 'scheduler' ? SCHEDULER_CONFIG_ENV : EXECUTOR_CONFIG_ENV;
  const overlayFile = options.overlayFile ?? environment[variable];
  const layers: ConfigLayer[] = [
    readConfigFile(join(options.defaultsDir ?? defaultDeployDir(), `${role}_config.yaml`)),
  ];
  if (overlayFile !== undefined && overlayFile !== '') {
    layers.push(
      readConfigFile(overlayFile, options.overlayFile === undefined ? variable : undefined),
    );
  }
  const merged = mergeLayers(layers);
  const kept =
    sections === undefined
      ? merged
      : {
          layers: merged.layers,
          merged: Object.fromEntries(
            sections.filter((key) => key in merged.merged).map((key) => [key, merged.merged[key]]),
          ),
        };
  return substituteEnvironment(
    kept,
    { [LATIGO_HOME_ENV]: packageRoot(), ...environment },
    { collectUnset },
  );
}

/**
 * Collects configuration problems across validation steps, so every problem of a config is
 * reported at once: the top-level sections and each provider section are checked even when an
 * earlier one failed.
 */
export class ProblemCollector {
  private readonly problems: string[];
  /**
   * `: key: ` of values that refer to unset variables, and of the sections holding them: other
   * problems there follow from the missing value (an unset `brokers` leaves its section with
   * no broker at all).
   */
  private readonly unsetKeys: readonly string[];

  constructor(unset: readonly UnsetVariable[] = []) {
    // A variable used twice in one value is one problem.
    this.problems = [...new Set(unset.map((entry) => entry.problem))];
    this.unsetKeys = [
      ...new Set(
        unset.flatMap(({ key }) => {
          const parts = key.split('.');
          return parts.map((_part, index) => `: ${parts.slice(0, index + 1).join('.')}: `);
        }),
      ),
    ];
  }

  run<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (
        error instanceof LatigoError &&
        (error.code === 'CONFIG_INVALID' || error.code === 'UNKNOWN_PROVIDER_TYPE')
      ) {
        const lines = error.message
          .split('\n')
          .slice(1)
          .map((line) => line.trim());
        const found = lines.length > 0 ? lines : [error.message];
        this.problems.push(
          ...found.filter((line) => !this.unsetKeys.some((key) => line.includes(key))),
        );
        return undefined;
      }
      throw error;
    }
  }

  /** Throws every problem collected as one CONFIG_INVALID. */
  throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new LatigoError(
        'CONFIG_INVALID',
        `invalid configuration:\n  ${this.problems.join('\n  ')}`,
        { context: { problems: this.problems.length } },
      );
    }
  }
}

/** A provider section as written (with `type: none` when an optional section is absent). */
function rawSection(config: LayeredConfig, key: string, optional: boolean): unknown {
  const value = config.merged[key];
  return value === undefined && optional ? { type: 'none' } : value;
}

export function loadSchedulerConfig(
  registry: ProviderRegistry,
  options: LoadOptions = {},
): SchedulerConfig {
  const config = loadLayers('scheduler', options, undefined, true);
  const problems = new ProblemCollector(config.unset);
  const top = problems.run(() => validateConfig(config, schedulerConfigSchema));
  const section = <Kind extends ProviderKind>(kind: Kind, key: string, optional = false) =>
    problems.run(() => registry.resolve(kind, config, [key], rawSection(config, key, optional)));
  const taskQueue = section('task_queue', 'task_queue');
  const modelInfo = section('model_info', 'model_info');
  const projects = section('projects', 'models_metadata_info', true);
  problems.throwIfAny();
  return Object.freeze({
    files: config.layers.map((layer) => layer.file),
    merged: config.merged,
    scheduler: Object.freeze(top!.scheduler),
    taskQueue: taskQueue!,
    modelInfo: modelInfo!,
    projects: projects!,
  });
}

export function loadExecutorConfig(
  registry: ProviderRegistry,
  options: LoadOptions = {},
): ExecutorConfig {
  const config = loadLayers('executor', options, undefined, true);
  const problems = new ProblemCollector(config.unset);
  const top = problems.run(() => validateConfig(config, executorConfigSchema));
  const section = <Kind extends ProviderKind>(kind: Kind, key: string, optional = false) =>
    problems.run(() => registry.resolve(kind, config, [key], rawSection(config, key, optional)));
  const taskQueue = section('task_queue', 'task_queue');
  const modelInfo = section('model_info', 'model_info');
  const predictor = section('prediction_execution', 'predictor');
  const sensorData = section('sensor_data', 'sensor_data');
  const predictionStorage = section('prediction_storage', 'prediction_storage');
  const metadataStorage = section(
    'prediction_metadata_storage',
    'prediction_metadata_storage',
    true,
  );
  problems.throwIfAny();
  return Object.freeze({
    files: config.layers.map((layer) => layer.file),
    merged: config.merged,
    executor: Object.freeze(top!.executor),
    taskQueue: taskQueue!,
    modelInfo: modelInfo!,
    predictor: predictor!,
    sensorData: sensorData!,
    predictionStorage: predictionStorage!,
    metadataStorage: metadataStorage!,
  });
}
