import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

import yaml from 'js-yaml';
import { z } from 'zod';

import { parseApiTime } from '../../clients/time-series-api/timestamps.js';
import { durationMs, text } from '../../config/fields.js';
import { LatigoError } from '../../errors/index.js';

/** Repeats a recording so that recent windows have data (see replay.ts). */
const replaySchema = z
  .object({
    /** Start of the recorded period, RFC 3339; every row must lie in [origin, origin + period). */
    origin: text().refine((value) => parseApiTime(value) !== undefined, {
      error: 'expected an RFC 3339 time such as "2020-03-09T10:14:00Z"',
    }),
    /** Length of one repetition. */
    period: durationMs({ max: Number.MAX_SAFE_INTEGER }),
    /** How far back from now the copies are written at start. */
    history: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('1d'),
    /** How often copies up to the current time are added while running. */
    extend_every: durationMs().prefault('1m'),
  })
  .strict();

/** One CSV file and the series it becomes. */
const sourceSchema = z
  .object({
    /** The CSV file, relative to the seed file. */
    file: text(),
    /** Field separator; detected from the header when absent. */
    delimiter: text().optional(),
    /** Header of the timestamp column. */
    timestamp_column: text(),
    /** IANA zone of timestamps without an offset. */
    time_zone: text().prefault('UTC'),
    /** Facility code of every series of this file. */
    facility: text(),
    /** CSV column -> tag (series name). */
    columns: z.record(z.string().min(1), text()).refine((map) => Object.keys(map).length > 0, {
      error: 'map at least one column to a tag',
    }),
    /** Unit per tag, optional. */
    units: z.record(z.string().min(1), z.string()).prefault({}),
    replay: replaySchema.optional(),
  })
  .strict();

/** The seed file of the Time Series API stand-in. */
export const seedConfigSchema = z
  .object({
    /** SQLite file of the stand-in, or ':memory:' (lost at exit). Relative to the seed file. */
    database: text().prefault(':memory:'),
    /** Versioned prefix of every route. */
    base_path: text().prefault('/plant/timeseries/v1.7'),
    /** Fractional digits of timestamps in answers: 3 (v1.6 era) or 7 (v1.7 era). */
    fraction_digits: z.union([z.literal(3), z.literal(7)]).prefault(7),
    /** Facility codes accepted on create besides those of seeded series. */
    facilities: z.array(text()).prefault([]),
    /** Answer to an unknown id in POST /query/data: `not_found` (404) or `empty` (no points). */
    unknown_query_id: z.enum(['not_found', 'empty']).prefault('not_found'),
    /** Whether a write without `async` is queued and answered 202 (v1.7) instead of 200. */
    async_by_default: z.boolean().prefault(false),
    sources: z.array(sourceSchema).prefault([]),
  })
  .strict();

export type SeedConfig = z.output<typeof seedConfigSchema>;
export type SeedSource = z.output<typeof sourceSchema>;
export type ReplayConfig = z.output<typeof replaySchema>;

/** Reads and checks a seed file; file paths inside become absolute. */
export function loadSeedConfig(file: string): SeedConfig {
  let raw: unknown;
  try {
    raw = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LatigoError('CONFIG_INVALID', `${file}: cannot read the seed file: ${reason}`, {
      cause: error,
      context: { file },
    });
  }
  const parsed = seedConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('\n');
    throw new LatigoError('CONFIG_INVALID', `invalid stand-in seed file:\n${problems}`, {
      context: { file },
    });
  }
  const base = dirname(file);
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(base, path));
  return {
    ...parsed.data,
    database: parsed.data.database === ':memory:' ? ':memory:' : absolute(parsed.data.database),
    sources: parsed.data.sources.map((source) => ({ ...source, file: absolute(source.file) })),
  };
}
