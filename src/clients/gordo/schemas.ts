import { z } from 'zod';

/**
 * Shapes of the Gordo server's JSON bodies (gordo.md §3, §5, §6), as loose as the server allows:
 * unknown keys pass, only what Latigo reads is checked.
 */

/** `GET …/{project}/revisions`. */
export const revisionsBodySchema = z.looseObject({
  latest: z.string().min(1),
  'available-revisions': z.array(z.string()).optional(),
  revision: z.string().optional(),
});
export type RevisionsBody = z.output<typeof revisionsBodySchema>;

/** `GET …/{project}/models`. */
export const modelsBodySchema = z.looseObject({
  models: z.array(z.string()),
  revision: z.string().optional(),
});
export type ModelsBody = z.output<typeof modelsBodySchema>;

/** The body of a 410 answer (revision not valid or gone). */
export const revisionGoneBodySchema = z.looseObject({
  error: z.string(),
  revision: z.string(),
});

/** One entry of `dataset.tag_list`: a name, `{name, asset, …}` or `[name, asset]`. */
export const tagItemSchema = z.union(
  [
    z.string().min(1),
    z.looseObject({ name: z.string().min(1), asset: z.string().nullish() }),
    z.tuple([z.string().min(1), z.string().nullish()]),
  ],
  { error: 'expected a tag name, {"name": …, "asset": …} or [name, asset]' },
);
export type TagItem = z.output<typeof tagItemSchema>;

/** A string or a list of strings; a refusal says which item is wrong and what it is. */
const textOrList = z.union([z.string(), z.array(z.string())], {
  error: (issue) => textOrListProblem(issue.input),
});

function textOrListProblem(input: unknown): string {
  if (Array.isArray(input)) {
    const index = input.findIndex((item) => typeof item !== 'string');
    return `item ${index} is ${kindOf(input[index])}, expected a string`;
  }
  return `expected a string or a list of strings, got ${kindOf(input)}`;
}

function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `metadata.dataset` (gordo.md §6.1). */
export const datasetSchema = z.looseObject({
  tag_list: z.array(tagItemSchema).min(1),
  target_tag_list: z.array(tagItemSchema).nullish(),
  train_start_date: z.string().nullish(),
  train_end_date: z.string().nullish(),
  resolution: z.string().nullish(),
  aggregation_methods: textOrList.nullish(),
  interpolation_method: z.string().nullish(),
  interpolation_limit: z.string().nullish(),
  row_filter: textOrList.nullish(),
  asset: z.string().nullish(),
  default_asset: z.string().nullish(),
  default_tag: z.looseObject({ asset: z.string().nullish() }).nullish(),
});
export type DatasetBody = z.output<typeof datasetSchema>;

const tagsMetadataSchema = z.record(
  z.string(),
  z.looseObject({ name: z.string().optional(), asset: z.string().nullish() }),
);

const buildMetadataSchema = z.looseObject({
  model: z
    .looseObject({
      model_offset: z.number().int().min(0).nullish(),
      model_meta: z.looseObject({}).nullish(),
    })
    .nullish(),
  dataset: z
    .looseObject({
      dataset_meta: z
        .looseObject({
          tag_loading_metadata: z.looseObject({ tags: tagsMetadataSchema.nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

/** `GET …/{project}/{model}/metadata` (gordo.md §3.4, §6). */
export const metadataBodySchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string().min(1),
    project_name: z.string().nullish(),
    dataset: datasetSchema,
    metadata: z.looseObject({ build_metadata: buildMetadataSchema.nullish() }).nullish(),
  }),
  'gordo-server-version': z.string().optional(),
  revision: z.string().optional(),
});
export type MetadataBody = z.output<typeof metadataBodySchema>;

/** Any JS number, NaN and the infinities included (zod's `number` refuses those). */
const anyNumber = z.custom<number>((value) => typeof value === 'number', {
  error: 'expected a number',
});

/**
 * One result table: `{group: {name: {indexKey: value}}}` (gordo.md §5.1). Values are numbers
 * (non-finite ones as the server's NaN/Infinity tokens), null, or text in `start`/`end`.
 */
export const predictionTableSchema = z.record(
  z.string(),
  z.record(z.string(), z.record(z.string(), z.union([anyNumber, z.string(), z.null()]))),
);
export type PredictionTable = z.output<typeof predictionTableSchema>;

/** `POST …/anomaly/prediction` and `POST …/prediction` with `format=json`. */
export const predictionBodySchema = z.looseObject({
  data: predictionTableSchema,
  'time-seconds': z.string().optional(),
  revision: z.string().optional(),
});
export type PredictionBody = z.output<typeof predictionBodySchema>;
