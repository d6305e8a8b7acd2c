import type { SensorData, TagSeries } from '../../domain/sensor.js';
import type { TimeRange } from '../../domain/time-range.js';
import { formatRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import { tagsToRead, type GordoModel } from '../../clients/gordo/model-metadata.js';
import { resampleToFrame, type Aggregation, type Frame } from '../../timeseries/resample.js';

const AGGREGATIONS: readonly Aggregation[] = ['mean', 'min', 'max', 'first', 'last'];

/**
 * The sensor range a prediction of `window` needs (gordo.md §7.4 step 1): the window moved back
 * by `model_offset + 5` resolution steps, so the first rows inside the window have their
 * look-back. The end stays the window's end.
 */
export function widenedRange(
  model: Pick<GordoModel, 'modelOffset' | 'resolutionMs'>,
  window: TimeRange,
): TimeRange {
  return {
    fromMs: window.fromMs - (model.modelOffset + 5) * model.resolutionMs,
    toMs: window.toMs,
  };
}

/**
 * Shapes raw sensor data into the rows Gordo is sent, exactly as gordo-client does (gordo.md
 * §7.4 steps 4-5, through `resampleToFrame`): every tag the model reads, resampled to the model's
 * resolution over the widened range, gaps filled as the model's dataset says, rows with any gap
 * dropped. Throws SENSOR_DATA_MISSING naming the tag when a tag has no data, or the window when
 * no complete row remains; MODEL_METADATA_INVALID for an aggregation Latigo cannot do.
 */
export function inputFrame(model: GordoModel, sensorData: SensorData, window: TimeRange): Frame {
  const range = widenedRange(model, window);
  const where = `model ${model.project}/${model.name} window ${formatRange(window)}`;
  const aggregation = AGGREGATIONS.find((known) => known === model.aggregation);
  if (aggregation === undefined) {
    throw new LatigoError(
      'MODEL_METADATA_INVALID',
      `${where}: aggregation_methods "${model.aggregation}" is not supported; use one of ${AGGREGATIONS.join(', ')}`,
    );
  }
  const series = tagsToRead(model).map((tag) => {
    const found = sensorData.series.find((one) => one.tag.name === tag.name);
    if (found === undefined) {
      throw new LatigoError(
        'SENSOR_DATA_MISSING',
        `${where}: no sensor data for tag "${tag.name}"`,
        {
          context: { tag: tag.name },
        },
      );
    }
    return insideRange(found, range);
  });
  const frame = resampleToFrame(series, {
    fromMs: range.fromMs,
    toMs: range.toMs,
    resolutionMs: model.resolutionMs,
    aggregation,
    interpolation: model.interpolation,
    interpolationLimitMs: model.interpolationLimitMs,
  });
  if (frame.timesMs.length === 0) {
    throw new LatigoError(
      'SENSOR_DATA_MISSING',
      `${where}: no complete row of all ${series.length} tags after resampling to ${model.resolutionMs} ms`,
    );
  }
  return frame;
}

/** The finite points of a series inside `[fromMs, toMs]`, as the Python Latigo kept them. */
function insideRange(series: TagSeries, range: TimeRange): TagSeries {
  const timesMs: number[] = [];
  const values: number[] = [];
  series.timesMs.forEach((timeMs, index) => {
    const value = series.values[index] ?? Number.NaN;
    if (timeMs >= range.fromMs && timeMs <= range.toMs && Number.isFinite(value)) {
      timesMs.push(timeMs);
      values.push(value);
    }
  });
  return { tag: series.tag, timesMs, values };
}

/**
 * Row ranges of the requests: `batchSize` rows each. For a model with an offset each batch after
 * the first starts `offset` rows early, because the server answers nothing for the first
 * `offset` rows of a request: so no row loses its prediction at a batch boundary (gordo-client's
 * batches did not overlap and left such holes, gordo.md §7.5).
 */
export function batchRanges(
  rows: number,
  batchSize: number,
  offset: number,
): { fromRow: number; toRow: number }[] {
  const step = batchSize - offset;
  if (step < 1) {
    throw new LatigoError(
      'PREDICTION_FAILED',
      `batch_size ${batchSize} must be larger than the model offset ${offset}`,
      { context: { batchSize, offset } },
    );
  }
  const ranges: { fromRow: number; toRow: number }[] = [];
  for (let fromRow = 0; ; fromRow += step) {
    const toRow = Math.min(rows, fromRow + batchSize);
    ranges.push({ fromRow, toRow });
    if (toRow >= rows) {
      return ranges;
    }
  }
}
