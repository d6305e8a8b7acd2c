import { z } from 'zod';

/**
 * The JSON shapes of the Time Series API that Latigo reads, checked loosely: unknown fields are
 * allowed (the API adds fields between versions) and fields Latigo does not use may be missing.
 */

/** One time series (metadata record). */
export const seriesRecordSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullish(),
  facility: z.string().nullish(),
  step: z.boolean().nullish(),
  unit: z.string().nullish(),
  externalId: z.string().nullish(),
});

export type SeriesRecord = z.output<typeof seriesRecordSchema>;

/** `{"data": {"items": [...]}, "continuationToken"?}` around time series records. */
export const seriesListSchema = z.looseObject({
  data: z.looseObject({ items: z.array(seriesRecordSchema) }),
  continuationToken: z.string().nullish(),
});

/** One datapoint as read. `value` may be null in some sources; such points are dropped. */
export const datapointSchema = z.looseObject({
  time: z.string(),
  value: z.number().nullable(),
  status: z.union([z.number(), z.string()]).nullish(),
});

export type WireDatapoint = z.output<typeof datapointSchema>;

/** `{"data": {"items": [{"id", "datapoints"}]}, "continuationToken"?}` of the data reads. */
export const datapointsResponseSchema = z.looseObject({
  data: z.looseObject({
    items: z.array(z.looseObject({ id: z.string(), datapoints: z.array(datapointSchema) })),
  }),
  continuationToken: z.string().nullish(),
});

/** The body of `POST /` (create). Latigo always sends these six keys. */
export interface NewSeries {
  readonly name: string;
  readonly description: string;
  readonly step: boolean;
  readonly unit: string;
  readonly facility: string;
  readonly externalId: string;
}

/** One item of a `POST /query/data` body. */
export interface ReadRequestItem {
  readonly id: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly limit: number;
  readonly includeOutsidePoints: boolean;
}

/** One datapoint as written. */
export interface OutgoingDatapoint {
  readonly time: string;
  readonly value: number;
  readonly status: number;
}

/** One item of a `POST /data` body. */
export interface WriteItem {
  readonly id: string;
  readonly datapoints: readonly OutgoingDatapoint[];
}
