import type { ModelInfo } from '../domain/model.js';
import type { SensorDataSpec } from '../domain/sensor.js';

/** The source of which models exist and what they read (spec: ModelInfoProviderInterface). */
export interface ModelInfoProvider {
  /** Every model of the given projects. A project that cannot be listed is skipped and logged. */
  getAllModels(projects: readonly string[], signal?: AbortSignal): Promise<readonly ModelInfo[]>;
  /** One model, or undefined when the project has no such model. */
  getModelByKey(
    project: string,
    model: string,
    signal?: AbortSignal,
  ): Promise<ModelInfo | undefined>;
  /** The tags to read for one model, or undefined when the model is unknown. */
  getSpec(
    project: string,
    model: string,
    signal?: AbortSignal,
  ): Promise<SensorDataSpec | undefined>;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
