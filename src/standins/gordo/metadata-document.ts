import { columnsOf, parseCondition } from '../../clients/gordo/row-filter/index.js';
import { formatPandasTimestamp, formatIsoTimestamp } from '../../clients/gordo/timestamps.js';
import type { StandinModel } from './build-models.js';

/**
 * The body of `GET …/{model}/metadata` for a stand-in model, shaped like the recorded
 * `metadata.json` (gordo.md §3.4, §6) and carrying what a 6.x build adds: `checksum`,
 * `tag_loading_metadata.tags` with each tag's asset. The model is Latigo's builtin anomaly
 * model, so `metadata.model` names it instead of a Keras pipeline.
 */
export function metadataDocument(
  model: StandinModel,
  serverVersion: string,
): Record<string, unknown> {
  const { definition, training } = model;
  const tagObject = (tag: string): Record<string, string> =>
    definition.asset === null ? { name: tag } : { name: tag, asset: definition.asset };
  const targetTags = model.targetTags;
  const thresholds = model.model.featureThresholds;
  const perFold = (values: (fold: number) => number): Record<string, number> =>
    Object.fromEntries(model.model.folds.map((_fold, index) => [`fold-${index}`, values(index)]));

  const dataset = {
    type: 'gordo_core.time_series.TimeSeriesDataset',
    train_start_date: formatIsoTimestamp(model.trainFromMs),
    train_end_date: formatIsoTimestamp(model.trainToMs),
    tag_list: definition.tags,
    target_tag_list: targetTags,
    additional_tags: null,
    asset: definition.asset,
    default_asset: null,
    default_tag: null,
    resolution: definition.resolution,
    aggregation_methods: definition.aggregation,
    interpolation_method: definition.interpolation,
    interpolation_limit: definition.interpolation_limit,
    row_filter: definition.row_filter,
    row_filter_buffer_size: 0,
    known_filter_periods: [],
    filter_periods: {},
    n_samples_threshold: 0,
    data_provider: { type: 'LatigoCsvStandinProvider', source: definition.source },
  };

  const modelMeta: Record<string, unknown> = {
    'feature-thresholds': [...thresholds],
    'aggregate-threshold': model.model.aggregateThreshold,
    'feature-thresholds-per-fold': Object.fromEntries(
      targetTags.map((tag, target) => [
        tag,
        perFold((fold) => model.model.folds[fold]?.featureThresholds[target] ?? Number.NaN),
      ]),
    ),
    'aggregate-thresholds-per-fold': perFold(
      (fold) => model.model.folds[fold]?.aggregateThreshold ?? Number.NaN,
    ),
    scaler: 'MinMaxScaler(feature_range=(0, 1))',
    base_estimator: `PcaAutoencoder(n_components=${model.model.componentCount})`,
    shuffle: false,
  };
  if (definition.smoothing_window !== undefined) {
    modelMeta['window'] = definition.smoothing_window;
    modelMeta['smoothing-method'] = 'smm';
  }

  const folds = model.model.folds;
  const rowTime = (row: number): string =>
    formatPandasTimestamp(training.firstRowMs + row * model.resolutionMs);
  const splits: Record<string, string | number> = {};
  folds.forEach((fold, index) => {
    const name = `fold-${index + 1}`;
    splits[`${name}-train-start`] = rowTime(0);
    splits[`${name}-train-end`] = rowTime(fold.trainRows - 1);
    splits[`${name}-test-start`] = rowTime(fold.trainRows);
    splits[`${name}-test-end`] = rowTime(fold.trainRows + fold.testRows - 1);
    splits[`${name}-n-train`] = fold.trainRows;
    splits[`${name}-n-test`] = fold.testRows;
  });

  const tagLoadingMetadata: Record<string, unknown> = {};
  for (const tag of definition.tags) {
    tagLoadingMetadata[tag] = {
      original_length: training.originalLengths[tag] ?? 0,
      resampled_length: training.rows,
    };
  }
  tagLoadingMetadata['aggregate_metadata'] = {
    joined_length: training.joinedLength,
    dropped_na_length: training.joinedLength - training.rows,
  };
  tagLoadingMetadata['tags'] = Object.fromEntries(
    [...new Set([...definition.tags, ...rowFilterColumns(definition.row_filter)])].map((tag) => [
      tag,
      tagObject(tag),
    ]),
  );

  return {
    checksum: model.checksum,
    'gordo-server-version': serverVersion,
    env: { MODEL_COLLECTION_DIR: `/gordo/models/${model.project}/models/${model.revision}` },
    metadata: {
      name: model.name,
      project_name: model.project,
      dataset,
      model: {
        'latigo.anomaly.AnomalyModel': {
          n_components: definition.n_components ?? null,
          explained_variance: model.model.toJSON().options.explainedVariance,
          threshold_folds: folds.length,
          threshold_window: model.model.toJSON().options.thresholdWindow,
        },
      },
      metadata: {
        user_defined: { 'global-metadata': {}, 'machine-metadata': {} },
        build_metadata: {
          model: {
            model_offset: definition.model_offset,
            model_creation_date: formatPandasTimestamp(model.createdMs),
            model_builder_version: serverVersion,
            model_training_duration_sec: training.trainingDurationSec,
            cross_validation: { cv_duration_sec: training.trainingDurationSec, scores: {}, splits },
            model_meta: modelMeta,
          },
          dataset: {
            query_duration_sec: training.queryDurationSec,
            dataset_meta: {
              tag_loading_metadata: tagLoadingMetadata,
              train_start_date_actual: formatPandasTimestamp(training.firstRowMs),
              train_end_date_actual: formatPandasTimestamp(training.lastRowMs),
              summary_statistics: training.statistics,
              x_hist: training.histograms,
            },
          },
        },
      },
      runtime: { reporters: [], server: { resources: {} } },
      evaluation: { cv_mode: 'full_build', metrics: [], scoring_scaler: 'MinMaxScaler' },
    },
  };
}

/** Tags a row filter reads (its trigger tags are described in the metadata like the others). */
function rowFilterColumns(rowFilter: string | readonly string[]): string[] {
  const expressions = typeof rowFilter === 'string' ? [rowFilter] : rowFilter;
  return expressions.flatMap((expression) => {
    const parsed = parseCondition(expression);
    return 'condition' in parsed ? columnsOf(parsed.condition) : [];
  });
}
