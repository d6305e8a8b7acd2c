import { outputSeriesDescription, outputSeriesType } from '../../domain/output-series.js';
import type { OutputGroup } from '../../domain/prediction.js';
import type { PredictionMetadata } from '../../interfaces/metadata-storage.js';
import { pythonUtcString } from './python-format.js';

/** One input tag of a record. */
export interface MetadataInputTag {
  readonly name: string;
  readonly time_series_id: string | null;
}

/** One output series of a record. */
export interface MetadataOutputTag {
  readonly name: string;
  readonly time_series_id: string | null;
  readonly type: 'derived' | 'aggregated';
  readonly description: string;
  readonly derived_from: string;
}

/** The body of `POST /models` (contract: time-series-api.md §7.3). */
export interface MetadataRecord {
  readonly project_name: string;
  readonly model_name: string;
  readonly revision: string | null;
  readonly training_time_from: string | null;
  readonly training_time_to: string | null;
  readonly input_tags: readonly MetadataInputTag[];
  readonly output_tags: readonly MetadataOutputTag[];
  readonly description: string;
  readonly status: 'not_defined';
  readonly labels: null;
}

/**
 * Builds the metadata record of one stored prediction. Inputs are the prediction's `model-input`
 * columns (the model's tags when it has none), with the storage's series ids where known; outputs
 * are the stored series. Dates are written as Python's `str()` wrote them (space, `+00:00`).
 */
export function buildMetadataRecord(metadata: PredictionMetadata): MetadataRecord {
  const { prediction, stored, model } = metadata;
  const inputIds = stored.inputSeriesIds ?? {};
  const inputColumns = prediction.columns.filter((column) => column.group === 'model-input');
  const inputNames =
    inputColumns.length > 0
      ? inputColumns.map((column) => column.tag ?? '')
      : (model?.tags.map((tag) => tag.name) ?? []);

  return {
    project_name: prediction.project,
    model_name: prediction.model,
    revision: prediction.revision ?? model?.revision ?? null,
    training_time_from:
      model?.trainingRange === undefined ? null : pythonUtcString(model.trainingRange.fromMs),
    training_time_to:
      model?.trainingRange === undefined ? null : pythonUtcString(model.trainingRange.toMs),
    input_tags: inputNames.map((name) => ({ name, time_series_id: inputIds[name] ?? null })),
    output_tags: stored.series.map((series) => {
      const column = { group: series.group as OutputGroup, tag: series.tag };
      return {
        name: series.name,
        time_series_id: series.id ?? null,
        type: outputSeriesType(column),
        description:
          series.description === '' ? outputSeriesDescription(column) : series.description,
        derived_from: series.tag ?? '',
      };
    }),
    description: `Gordo prediction for project '${prediction.project}', model '${prediction.model}'. Prediction period: from '${pythonUtcString(prediction.window.fromMs)}' : to '${pythonUtcString(prediction.window.toMs)}'`,
    status: 'not_defined',
    labels: null,
  };
}
