import type { SensorData, SensorDataSpec } from '../domain/sensor.js';
import type { TimeRange } from '../domain/time-range.js';

/** The source of sensor data (spec: SensorDataProviderInterface). */
export interface SensorDataProvider {
  /**
   * All points of every tag of the spec inside `range` (start inclusive, end exclusive).
   * Throws SENSOR_DATA_MISSING naming the tag when a tag has no data in the range.
   */
  getDataForRange(
    spec: SensorDataSpec,
    range: TimeRange,
    signal?: AbortSignal,
  ): Promise<SensorData>;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
