import type { ExecutorConfig } from '../config/resolve.js';
import type { ProviderRegistry } from '../registry/registry.js';
import type { SensorDataAware, TaskQueue } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import { Executor } from '../executor/executor.js';
import type { ExecutorProviders } from '../executor/providers.js';
import { checkOrClose, type Closable } from './lifecycle.js';

export interface BuiltExecutor {
  readonly executor: Executor;
  readonly providers: ExecutorProviders;
  readonly parts: readonly (readonly [string, Closable])[];
}

/** Builds the executor and its providers from config, and runs their start-up checks. */
export async function buildExecutor(
  config: ExecutorConfig,
  registry: ProviderRegistry,
  logger: Logger,
  signal: AbortSignal,
  sharedQueue?: TaskQueue,
): Promise<BuiltExecutor> {
  const context = (component: string) => ({
    logger: logger.child({ component }),
    role: 'executor' as const,
  });
  const taskQueue = sharedQueue ?? (await registry.create(config.taskQueue, context('task-queue')));
  const modelInfo = await registry.create(config.modelInfo, context('model-info'));
  const sensorData = await registry.create(config.sensorData, context('sensor-data'));
  const predictor = await registry.create(config.predictor, context('predictor'));
  const storage = await registry.create(config.predictionStorage, context('prediction-storage'));
  const metadata = await registry.create(
    config.metadataStorage,
    context('prediction-metadata-storage'),
  );
  if (isSensorDataAware(predictor)) {
    predictor.attachSensorData(sensorData);
  }
  const parts = [
    [config.taskQueue.section, taskQueue],
    [config.modelInfo.section, modelInfo],
    [config.sensorData.section, sensorData],
    [config.predictor.section, predictor],
    [config.predictionStorage.section, storage],
    [config.metadataStorage.section, metadata],
  ] as const;
  await checkOrClose(parts, signal, logger);

  const providers: ExecutorProviders = {
    taskQueue,
    modelInfo,
    sensorData,
    predictor,
    storage,
    metadata,
  };
  const section = config.executor;
  const executor = new Executor(
    providers,
    {
      instanceCount: section.instance_count,
      taskTimeoutMs: section.task_timeout,
      taskAttempts: section.task_attempts,
      taskRetryDelayMs: section.task_retry_delay,
      maxWindowMs: section.max_window,
      shutdownGraceMs: section.shutdown_grace,
    },
    logger.child({ component: 'executor' }),
  );
  return { executor, providers, parts };
}

function isSensorDataAware(value: object): value is SensorDataAware {
  return typeof (value as Partial<SensorDataAware>).attachSensorData === 'function';
}
