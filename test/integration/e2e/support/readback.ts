import { z } from 'zod';

/**
 * Reading back what Latigo stored, through the stand-ins' control endpoints (no token needed):
 * the Time Series API's series and points, the metadata API's records.
 */

const seriesListSchema = z.object({
  items: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      facility: z.string().nullable(),
      pointCount: z.number(),
    }),
  ),
});

export type StoredSeries = z.output<typeof seriesListSchema>['items'][number];

const pointsSchema = z.object({
  datapoints: z.array(z.object({ time: z.string(), value: z.number(), status: z.number() })),
});

export type StoredPoint = z.output<typeof pointsSchema>['datapoints'][number];

const metadataTagSchema = z.looseObject({
  name: z.string(),
  time_series_id: z.string().nullable(),
});

const metadataRecordsSchema = z.object({
  models: z.array(
    z.looseObject({
      model_id: z.number(),
      project_name: z.string(),
      model_name: z.string(),
      revision: z.string().nullable(),
      record: z.looseObject({
        description: z.string(),
        input_tags: z.array(metadataTagSchema),
        output_tags: z.array(
          metadataTagSchema.extend({ type: z.string(), derived_from: z.string().nullable() }),
        ),
        status: z.string(),
      }),
    }),
  ),
});

export type MetadataRecord = z.output<typeof metadataRecordsSchema>['models'][number];

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  }
  return schema.parse(await response.json());
}

/** Every series of `facility` in the Time Series API stand-in, with its point count. */
export async function storedSeries(
  timeSeriesUrl: string,
  facility: string,
): Promise<StoredSeries[]> {
  const url = `${timeSeriesUrl}/_control/series?facility=${encodeURIComponent(facility)}`;
  return (await getJson(url, seriesListSchema)).items;
}

/** Every point stored in one series. */
export async function storedPoints(timeSeriesUrl: string, id: string): Promise<StoredPoint[]> {
  const url = `${timeSeriesUrl}/_control/series/${encodeURIComponent(id)}/points`;
  return (await getJson(url, pointsSchema)).datapoints;
}

/** Every record the metadata API stand-in received for `project`. */
export async function metadataRecords(
  metadataUrl: string,
  project: string,
): Promise<MetadataRecord[]> {
  const url = `${metadataUrl}/_control/models?project_name=${encodeURIComponent(project)}`;
  return (await getJson(url, metadataRecordsSchema)).models;
}

/**
 * The prediction window a metadata record describes, from its description ("... Prediction
 * period: from '2020-02-01 00:00:00+00:00' : to '2020-02-01 00:10:00+00:00'"), as
 * `[from, to)` in ISO 8601.
 */
export function recordWindow(record: MetadataRecord): string {
  const match = /from '([^']+)' : to '([^']+)'/.exec(record.record.description);
  if (match === null) {
    throw new Error(`no prediction period in "${record.record.description}"`);
  }
  const iso = (text: string): string =>
    new Date(Date.parse(text.replace(' ', 'T'))).toISOString().replace('.000Z', 'Z');
  return `[${iso(match[1] ?? '')}, ${iso(match[2] ?? '')})`;
}
