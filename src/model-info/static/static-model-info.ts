import type { ModelInfo } from '../../domain/model.js';
import type { SensorDataSpec, SensorTag } from '../../domain/sensor.js';
import type { ModelInfoProvider } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';
import {
  staticModelInfoSchema,
  type StaticModelConfig,
  type StaticModelInfoConfig,
} from './static-config.js';

/** Models declared in the config: fixed tags, training range and resolution. */
export class StaticModelInfo implements ModelInfoProvider {
  private readonly models: readonly ModelInfo[];

  constructor(config: StaticModelInfoConfig) {
    this.models = config.models.map(toModelInfo);
  }

  /** The declared models of the given projects, in config order. */
  getAllModels(projects: readonly string[]): Promise<readonly ModelInfo[]> {
    const wanted = new Set(projects);
    return Promise.resolve(this.models.filter((model) => wanted.has(model.project)));
  }

  getModelByKey(project: string, model: string): Promise<ModelInfo | undefined> {
    return Promise.resolve(this.find(project, model));
  }

  getSpec(project: string, model: string): Promise<SensorDataSpec | undefined> {
    const found = this.find(project, model);
    return Promise.resolve(found === undefined ? undefined : { tags: found.tags });
  }

  private find(project: string, model: string): ModelInfo | undefined {
    return this.models.find(
      (candidate) => candidate.project === project && candidate.name === model,
    );
  }
}

function toModelInfo(model: StaticModelConfig): ModelInfo {
  const tag = (entry: StaticModelConfig['tags'][number]): SensorTag => {
    const { name, asset } = typeof entry === 'string' ? { name: entry, asset: undefined } : entry;
    const resolvedAsset = asset ?? model.asset;
    return resolvedAsset === undefined ? { name } : { name, asset: resolvedAsset };
  };
  const tags = model.tags.map(tag);
  return {
    project: model.project,
    name: model.name,
    tags,
    targetTags: model.target_tags?.map(tag) ?? tags,
    trainingRange: { fromMs: model.training.from, toMs: model.training.to },
    resolutionMs: model.resolution,
  };
}

/** `model_info.type: static`. */
export const staticModelInfoFactory: ProviderFactory<'model_info', typeof staticModelInfoSchema> = {
  kind: 'model_info',
  type: 'static',
  schema: staticModelInfoSchema,
  create: (config) => new StaticModelInfo(config),
};
