import { modelColumns, type GordoModel } from '../../clients/gordo/model-metadata.js';
import { rowsKept } from '../../clients/gordo/row-filter/index.js';
import { formatRange, type TimeRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type { Frame } from '../../timeseries/resample.js';

/** The rows a model is sent after its row filter, and how many the filter dropped. */
export interface FilteredFrame {
  readonly frame: Frame;
  readonly droppedRows: number;
}

/**
 * Applies the model's `row_filter` to the complete rows of `inputFrame` (gordo.md §7.4 step 6,
 * buffer 0), then removes the columns of trigger tags, which only the filter reads. A model
 * without a filter gets its frame back unchanged. Throws SENSOR_DATA_MISSING naming the model
 * and the window when the window had complete rows but the filter keeps none of them, or when it
 * keeps no row at all.
 */
export function filterRows(model: GordoModel, frame: Frame, window: TimeRange): FilteredFrame {
  if (model.rowFilter.conditions.length === 0) {
    return { frame, droppedRows: 0 };
  }
  const where = `model ${model.project}/${model.name} window ${formatRange(window)}`;
  const kept = rowsKept(model.rowFilter, frame, where);
  const rows = kept.flatMap((keep, row) => (keep ? [row] : []));
  const inWindow = (row: number) => {
    const timeMs = frame.timesMs[row] ?? Number.NaN;
    return timeMs >= window.fromMs && timeMs < window.toMs;
  };
  const completeInWindow = frame.timesMs.filter((_time, row) => inWindow(row)).length;
  if (!rows.some(inWindow) && (completeInWindow > 0 || rows.length === 0)) {
    throw new LatigoError(
      'SENSOR_DATA_MISSING',
      `${where}: the row_filter ${describeFilter(model)} keeps none of the ${completeInWindow} complete rows inside the window (${rows.length} of ${frame.timesMs.length} rows kept in all)`,
      { context: { rowsInWindow: completeInWindow, rowsKept: rows.length } },
    );
  }

  const columns = modelColumns(model).map((name) => {
    const index = frame.tags.indexOf(name);
    return { name, values: index < 0 ? undefined : frame.values[index] };
  });
  return {
    frame: {
      timesMs: rows.map((row) => frame.timesMs[row] ?? Number.NaN),
      tags: columns.filter(({ values }) => values !== undefined).map(({ name }) => name),
      values: columns.flatMap(({ values }) =>
        values === undefined ? [] : [rows.map((row) => values[row] ?? Number.NaN)],
      ),
    },
    droppedRows: frame.timesMs.length - rows.length,
  };
}

function describeFilter(model: GordoModel): string {
  return model.rowFilter.expressions.map((expression) => `"${expression}"`).join(' & ');
}
