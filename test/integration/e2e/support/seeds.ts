import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import yaml from 'js-yaml';
import { DateTime } from 'luxon';
import { z } from 'zod';

import { parseDuration } from '../../../../src/config/duration.js';
import { packageRoot } from '../../../../src/util/package-root.js';

/**
 * The stand-ins' seed files of the SKAB sample (deploy/standins), as the end-to-end test uses
 * them: the Time Series API seed unchanged, the Gordo file with extra copies of its model.
 */

export const TIME_SERIES_SEED = join(packageRoot(), 'deploy', 'standins', 'time-series-api.yaml');
export const GORDO_SEED = join(packageRoot(), 'deploy', 'standins', 'gordo.yaml');

const gordoSeedSchema = z.looseObject({
  sources: z.record(z.string(), z.looseObject({ file: z.string() })),
  projects: z.record(
    z.string(),
    z.looseObject({
      current_revision: z.string(),
      revisions: z.record(
        z.string(),
        z.record(
          z.string(),
          z.looseObject({ tags: z.array(z.string()), asset: z.string(), resolution: z.string() }),
        ),
      ),
    }),
  ),
});

export interface GordoModelSeed {
  readonly project: string;
  readonly revision: string;
  readonly tags: readonly string[];
  readonly resolutionMs: number;
}

/**
 * Writes the Gordo seed to `folder` with `copies` of `project`/`model` added under other names
 * (same tags, data and training), source paths made absolute. Returns the file and the model.
 */
export function writeGordoSeedWithCopies(
  folder: string,
  project: string,
  model: string,
  copies: readonly string[],
): { file: string; model: GordoModelSeed } {
  const seed = gordoSeedSchema.parse(yaml.load(readFileSync(GORDO_SEED, 'utf8')));
  for (const source of Object.values(seed.sources)) {
    source.file = resolve(dirname(GORDO_SEED), source.file);
  }
  const projectSeed = seed.projects[project];
  const revision = projectSeed?.current_revision ?? '';
  const models = projectSeed?.revisions[revision];
  const original = models?.[model];
  if (models === undefined || original === undefined) {
    throw new Error(`${GORDO_SEED} has no model ${project}/${model} in its current revision`);
  }
  for (const copy of copies) {
    models[copy] = { ...original };
  }
  const file = join(folder, 'gordo.yaml');
  writeFileSync(file, yaml.dump(seed));
  return {
    file,
    model: {
      project,
      revision,
      tags: original.tags,
      resolutionMs: durationMs(original.resolution.toLowerCase(), GORDO_SEED),
    },
  };
}

const timeSeriesSeedSchema = z.looseObject({
  base_path: z.string(),
  sources: z.array(
    z.looseObject({
      file: z.string(),
      delimiter: z.string(),
      timestamp_column: z.string(),
      facility: z.string(),
      replay: z.looseObject({ origin: z.string(), period: z.string() }),
    }),
  ),
});

/** Where the replayed recording of the Time Series API seed has rows. */
export interface ReplayedRecording {
  readonly basePath: string;
  readonly facility: string;
  readonly originMs: number;
  readonly periodMs: number;
  /** Offsets into each replay period of the first and the last row. */
  readonly firstRowOffsetMs: number;
  readonly lastRowOffsetMs: number;
}

/** Reads the replay of the Time Series API seed's first source and the span of its rows. */
export function timeSeriesReplay(): ReplayedRecording {
  const seed = timeSeriesSeedSchema.parse(yaml.load(readFileSync(TIME_SERIES_SEED, 'utf8')));
  const source = seed.sources[0];
  if (source === undefined) {
    throw new Error(`${TIME_SERIES_SEED} has no source`);
  }
  const csvFile = resolve(dirname(TIME_SERIES_SEED), source.file);
  const rows = readFileSync(csvFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const column = (rows[0] ?? '').split(source.delimiter).indexOf(source.timestamp_column);
  const rowTime = (line: string | undefined): number => {
    const text = (line ?? '').split(source.delimiter)[column] ?? '';
    const time = DateTime.fromSQL(text, { zone: 'utc' });
    if (!time.isValid) {
      throw new Error(`${csvFile}: "${text}" is not a timestamp`);
    }
    return time.toMillis();
  };
  const originMs = Date.parse(source.replay.origin);
  return {
    basePath: seed.base_path,
    facility: source.facility,
    originMs,
    periodMs: durationMs(source.replay.period, TIME_SERIES_SEED),
    firstRowOffsetMs: rowTime(rows[1]) - originMs,
    lastRowOffsetMs: rowTime(rows[rows.length - 1]) - originMs,
  };
}

function durationMs(text: string, file: string): number {
  const parsed = parseDuration(text);
  if ('problem' in parsed) {
    throw new Error(`${file}: ${parsed.problem}`);
  }
  return parsed.ms;
}
