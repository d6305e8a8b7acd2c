import type { ModelInfo } from '../../domain/model.js';
import type { SensorTag } from '../../domain/sensor.js';
import type { TimeRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import { parsePandasOffset } from './pandas-offset.js';
import { parseRowFilter, type RowFilter, type RowFilterSource } from './row-filter/index.js';
import type { DatasetBody, MetadataBody, TagItem } from './schemas.js';
import { parseGordoTimestamp } from './timestamps.js';

/** How gaps left after resampling are filled (`dataset.interpolation_method`). */
export type GordoInterpolation = 'linear_interpolation' | 'ffill';

/** What Latigo needs of one Gordo model, read from its metadata document (gordo.md §6). */
export interface GordoModel {
  readonly project: string;
  readonly name: string;
  /** The revision whose metadata this is. */
  readonly revision: string;
  /** Input tags (X), in the model's order. */
  readonly tags: readonly SensorTag[];
  /** Target tags (y), in the model's order; the input tags when the model names none. */
  readonly targetTags: readonly SensorTag[];
  /**
   * Tags only the row filter reads ("trigger tags", gordo.md §7.4 step 3): read with the others,
   * used to filter rows, never sent to the model.
   */
  readonly triggerTags: readonly SensorTag[];
  readonly trainingRange?: TimeRange | undefined;
  /** `dataset.resolution`, default `10T`. */
  readonly resolutionMs: number;
  /** `build_metadata.model.model_offset`: input rows the model consumes before its first output. */
  readonly modelOffset: number;
  /** `dataset.aggregation_methods`, default `mean`. */
  readonly aggregation: string;
  readonly interpolation: GordoInterpolation;
  /** `dataset.interpolation_limit`, default `48H`. */
  readonly interpolationLimitMs: number;
  /** `dataset.row_filter`, parsed (expressions ANDed; none when the model has no filter). */
  readonly rowFilter: RowFilter;
}

const DEFAULT_RESOLUTION = '10T';
const DEFAULT_INTERPOLATION_LIMIT = '48H';

/**
 * Reads a metadata body (already checked against `metadataBodySchema`) into a GordoModel.
 * Throws MODEL_METADATA_INVALID, not retriable, naming the model and the key when a value that Latigo
 * needs is unusable (e.g. a resolution that is not a fixed-length offset alias, or a row filter
 * outside the supported pandas syntax, with the character where it stops being supported).
 */
export function gordoModelFromMetadata(
  project: string,
  requestedName: string,
  revision: string,
  body: MetadataBody,
): GordoModel {
  const machine = body.metadata;
  const dataset = machine.dataset;
  const where = `model ${project}/${requestedName} (revision ${revision})`;
  const tagsMetadata =
    machine.metadata?.build_metadata?.dataset?.dataset_meta?.tag_loading_metadata?.tags ?? {};
  const defaultAsset = dataset.asset ?? dataset.default_tag?.asset ?? dataset.default_asset;

  const resolveTag = (item: TagItem): SensorTag => {
    const [name, ownAsset] =
      typeof item === 'string'
        ? [item, undefined]
        : Array.isArray(item)
          ? [item[0], item[1]]
          : [item.name, item.asset];
    const asset = tagsMetadata[name]?.asset ?? ownAsset ?? defaultAsset ?? undefined;
    return asset === undefined || asset === null ? { name } : { name, asset };
  };

  const tags = uniqueTags(dataset.tag_list.map(resolveTag));
  const targetList = dataset.target_tag_list ?? [];
  const targetTags = targetList.length === 0 ? tags : uniqueTags(targetList.map(resolveTag));
  const interpolation = dataset.interpolation_method ?? 'linear_interpolation';
  if (interpolation !== 'linear_interpolation' && interpolation !== 'ffill') {
    throw unusable(where, 'dataset.interpolation_method', `"${interpolation}" is not known`);
  }
  const trainingRange = trainingRangeOf(dataset);
  const rowFilter = parseRowFilter(rowFilterSources(dataset), where);
  const known = new Set([...tags, ...targetTags].map((tag) => tag.name));
  const triggerTags = rowFilter.columns
    .filter((name) => !known.has(name))
    .map((name): SensorTag => ({ ...resolveTag(name), readFor: 'the row filter' }));

  return {
    project,
    name: requestedName,
    revision,
    tags,
    targetTags,
    triggerTags,
    ...(trainingRange === undefined ? {} : { trainingRange }),
    resolutionMs: offsetMs(where, 'dataset.resolution', dataset.resolution ?? DEFAULT_RESOLUTION),
    modelOffset: machine.metadata?.build_metadata?.model?.model_offset ?? 0,
    aggregation: aggregationOf(where, dataset),
    interpolation,
    interpolationLimitMs: offsetMs(
      where,
      'dataset.interpolation_limit',
      dataset.interpolation_limit ?? DEFAULT_INTERPOLATION_LIMIT,
    ),
    rowFilter,
  };
}

/** The model as the rest of Latigo sees it. */
export function toModelInfo(model: GordoModel): ModelInfo {
  return {
    project: model.project,
    name: model.name,
    tags: model.tags,
    targetTags: model.targetTags,
    trainingRange: model.trainingRange,
    resolutionMs: model.resolutionMs,
    revision: model.revision,
  };
}

/**
 * Input tags, then target tags and trigger tags not already among them: everything a prediction
 * reads.
 */
export function tagsToRead(
  model: Pick<GordoModel, 'tags' | 'targetTags' | 'triggerTags'>,
): readonly SensorTag[] {
  return uniqueTags([...model.tags, ...model.targetTags, ...model.triggerTags]);
}

/** The names of the columns sent to the model: input tags, then target tags not among them. */
export function modelColumns(model: Pick<GordoModel, 'tags' | 'targetTags'>): readonly string[] {
  return uniqueTags([...model.tags, ...model.targetTags]).map((tag) => tag.name);
}

function uniqueTags(tags: readonly SensorTag[]): SensorTag[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    if (seen.has(tag.name)) {
      return false;
    }
    seen.add(tag.name);
    return true;
  });
}

function trainingRangeOf(dataset: DatasetBody): TimeRange | undefined {
  const fromMs = parseGordoTimestamp(dataset.train_start_date ?? '');
  const toMs = parseGordoTimestamp(dataset.train_end_date ?? '');
  return fromMs === undefined || toMs === undefined || toMs <= fromMs
    ? undefined
    : { fromMs, toMs };
}

function aggregationOf(where: string, dataset: DatasetBody): string {
  const methods = listOf(dataset.aggregation_methods);
  if (methods.length > 1) {
    throw unusable(
      where,
      'dataset.aggregation_methods',
      'lists several methods; the Gordo server refuses the multi-level columns they produce',
    );
  }
  return methods[0] ?? 'mean';
}

/** The non-blank expressions of `dataset.row_filter`, each with the key it sits at. */
function rowFilterSources(dataset: DatasetBody): RowFilterSource[] {
  const value = dataset.row_filter;
  const expressions = listOf(value).map((expression, index) => ({
    expression,
    key: typeof value === 'string' ? 'dataset.row_filter' : `dataset.row_filter[${index}]`,
  }));
  return expressions.filter(({ expression }) => expression.trim() !== '');
}

function listOf(value: string | readonly string[] | null | undefined): readonly string[] {
  if (value === null || value === undefined) {
    return [];
  }
  return typeof value === 'string' ? [value] : value;
}

function offsetMs(where: string, key: string, text: string): number {
  const parsed = parsePandasOffset(text);
  if ('problem' in parsed) {
    throw unusable(where, key, parsed.problem);
  }
  return parsed.ms;
}

function unusable(where: string, key: string, problem: string): LatigoError {
  return new LatigoError('MODEL_METADATA_INVALID', `${where}: metadata ${key}: ${problem}`, {
    context: { key },
  });
}
