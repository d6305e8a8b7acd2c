import type { SensorTag } from './sensor.js';
import type { TimeRange } from './time-range.js';

/** What Latigo knows of one ML model. */
export interface ModelInfo {
  readonly project: string;
  readonly name: string;
  /** Input tags in model order. */
  readonly tags: readonly SensorTag[];
  /** Target tags (model output); the input tags when the model does not say otherwise. */
  readonly targetTags: readonly SensorTag[];
  /** The period the model was trained on, when known. */
  readonly trainingRange?: TimeRange | undefined;
  /** Row spacing the model expects, in milliseconds, when known. */
  readonly resolutionMs?: number | undefined;
  /** The model's revision (Gordo project revision), when known. */
  readonly revision?: string | undefined;
}
