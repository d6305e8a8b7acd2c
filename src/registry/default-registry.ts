import { metadataStorageFactories } from '../metadata-storage/index.js';
import { modelInfoFactories } from '../model-info/index.js';
import { predictionExecutionFactories } from '../prediction-execution/index.js';
import { predictionStorageFactories } from '../prediction-storage/index.js';
import { projectsFactories } from '../projects/index.js';
import { sensorDataFactories } from '../sensor-data/index.js';
import { taskQueueFactories } from '../task-queue/index.js';
import { ProviderRegistry, type ProviderFactory, type ProviderKind } from './registry.js';

/** A registry with every implementation Latigo ships. */
export function createDefaultRegistry(): ProviderRegistry {
  const registry = new ProviderRegistry();
  const all: readonly (readonly ProviderFactory<ProviderKind>[])[] = [
    taskQueueFactories,
    modelInfoFactories,
    sensorDataFactories,
    predictionExecutionFactories,
    predictionStorageFactories,
    metadataStorageFactories,
    projectsFactories,
  ];
  for (const factories of all) {
    for (const factory of factories) {
      registry.register(factory);
    }
  }
  return registry;
}
