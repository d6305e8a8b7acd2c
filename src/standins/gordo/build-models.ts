import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { AnomalyModel } from '../../anomaly/index.js';
import type { TagSeries } from '../../domain/sensor.js';
import { isoUtc } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { parsePandasOffset } from '../../clients/gordo/pandas-offset.js';
import { parseGordoTimestamp } from '../../clients/gordo/timestamps.js';
import { parseSensorCsv, type ParsedSensorCsv } from '../../sensor-data/csv/parse-csv.js';
import { resampleToFrame } from '../../timeseries/resample.js';
import type {
  LoadedStandinConfig,
  StandinModelConfig,
  StandinSourceConfig,
} from './standin-config.js';
import { summaryStatistics, valueHistogram, type SummaryStatistics } from './statistics.js';

/** What the build of one model measured, for its metadata document. */
export interface TrainingSummary {
  /** Raw points per tag inside the training period. */
  readonly originalLengths: Readonly<Record<string, number>>;
  /** Rows after resampling, joining and dropping gaps. */
  readonly rows: number;
  /** Buckets of the training period before rows with gaps were dropped. */
  readonly joinedLength: number;
  readonly firstRowMs: number;
  readonly lastRowMs: number;
  readonly statistics: Readonly<Record<string, SummaryStatistics>>;
  readonly histograms: Readonly<Record<string, string>>;
  readonly queryDurationSec: number;
  readonly trainingDurationSec: number;
}

/** One served model: its definition, the fitted builtin model and what its build measured. */
export interface StandinModel {
  readonly project: string;
  readonly revision: string;
  readonly name: string;
  readonly definition: StandinModelConfig;
  readonly targetTags: readonly string[];
  readonly resolutionMs: number;
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly model: AnomalyModel;
  /** The model as JSON: what `download-model` answers; its SHA-512 is the metadata checksum. */
  readonly serialized: string;
  readonly checksum: string;
  readonly createdMs: number;
  readonly training: TrainingSummary;
}

/** project -> revision -> model name -> model. */
export type StandinModels = Map<string, Map<string, Map<string, StandinModel>>>;

/**
 * Trains every model of the config with the builtin anomaly model on its CSV source, reading each
 * source once. Throws CONFIG_INVALID naming the model when a tag is not in its source or the
 * training period holds too little data.
 */
export function buildStandinModels(loaded: LoadedStandinConfig, logger: Logger): StandinModels {
  const { config, baseDir } = loaded;
  const sources = new Map<string, ParsedSensorCsv>();
  const sourceOf = (sourceName: string): ParsedSensorCsv => {
    let parsed = sources.get(sourceName);
    if (parsed === undefined) {
      parsed = readSource(sourceName, config.sources[sourceName], baseDir);
      sources.set(sourceName, parsed);
    }
    return parsed;
  };

  const result: StandinModels = new Map();
  for (const [project, definition] of Object.entries(config.projects)) {
    const revisions = new Map<string, Map<string, StandinModel>>();
    for (const [revision, models] of Object.entries(definition.revisions)) {
      const built = new Map<string, StandinModel>();
      for (const [name, model] of Object.entries(models)) {
        const where = `projects.${project}.revisions.${revision}.${name}`;
        const startedMs = Date.now();
        built.set(
          name,
          buildModel({ project, revision, name }, model, sourceOf(model.source), where),
        );
        logger.info(
          { project, revision, model: name, durationMs: Date.now() - startedMs },
          'gordo stand-in model built',
        );
      }
      revisions.set(revision, built);
    }
    result.set(project, revisions);
  }
  return result;
}

function readSource(
  sourceName: string,
  source: StandinSourceConfig | undefined,
  baseDir: string,
): ParsedSensorCsv {
  if (source === undefined) {
    throw new LatigoError('CONFIG_INVALID', `sources.${sourceName}: no such source`);
  }
  const file = resolve(baseDir, source.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LatigoError('CONFIG_INVALID', `sources.${sourceName}.file: cannot read ${file}`, {
      cause: error,
      context: { file },
    });
  }
  return parseSensorCsv(text, {
    file,
    delimiter: source.delimiter,
    timestampColumn: source.timestamp_column,
    timeZone: source.time_zone,
    columns: source.columns,
  });
}

function buildModel(
  key: { project: string; revision: string; name: string },
  definition: StandinModelConfig,
  source: ParsedSensorCsv,
  where: string,
): StandinModel {
  const trainFromMs = instantOf(definition.train_start);
  const trainToMs = instantOf(definition.train_end);
  if (trainToMs <= trainFromMs) {
    throw new LatigoError('CONFIG_INVALID', `${where}: train_end must be after train_start`);
  }
  const resolutionMs = offsetOf(definition.resolution);
  const targetTags = definition.target_tags.length > 0 ? definition.target_tags : definition.tags;

  const queryStartedMs = Date.now();
  const series = definition.tags.map((tag) => seriesOf(source, tag, trainFromMs, trainToMs, where));
  const originalLengths = Object.fromEntries(
    series.map((one) => [one.tag.name, one.timesMs.length]),
  );
  const frame = resampleToFrame(series, {
    fromMs: trainFromMs,
    toMs: trainToMs,
    resolutionMs,
    aggregation: definition.aggregation,
    interpolation: definition.interpolation,
    interpolationLimitMs: offsetOf(definition.interpolation_limit),
  });
  const queryDurationSec = (Date.now() - queryStartedMs) / 1000;
  const rows = frame.timesMs.map((_time, row) =>
    frame.values.map((column) => column[row] ?? Number.NaN),
  );
  if (rows.length === 0) {
    throw new LatigoError('CONFIG_INVALID', `${where}: the training period has no complete rows`);
  }

  const trainingStartedMs = Date.now();
  const model = AnomalyModel.fit(
    {
      tags: definition.tags,
      targetTags,
      rows,
      training: {
        fromMs: trainFromMs,
        toMs: trainToMs,
        resolutionMs,
        firstRowMs: frame.timesMs[0],
        lastRowMs: frame.timesMs[frame.timesMs.length - 1],
      },
    },
    {
      nComponents: definition.n_components,
      explainedVariance: definition.explained_variance,
      thresholdFolds: definition.threshold_folds,
      thresholdWindow: definition.threshold_window,
    },
  );
  const trainingDurationSec = (Date.now() - trainingStartedMs) / 1000;
  const serialized = JSON.stringify(model.toJSON());

  return {
    ...key,
    definition,
    targetTags,
    resolutionMs,
    trainFromMs,
    trainToMs,
    model,
    serialized,
    checksum: createHash('sha512').update(serialized).digest('hex'),
    createdMs: Date.now(),
    training: {
      originalLengths,
      rows: rows.length,
      joinedLength: Math.floor((trainToMs - trainFromMs) / resolutionMs) + 1,
      firstRowMs: frame.timesMs[0] ?? trainFromMs,
      lastRowMs: frame.timesMs[frame.timesMs.length - 1] ?? trainFromMs,
      statistics: Object.fromEntries(
        frame.tags.map((tag, index) => [tag, summaryStatistics(frame.values[index] ?? [])]),
      ),
      histograms: Object.fromEntries(
        frame.tags.map((tag, index) => [tag, valueHistogram(frame.values[index] ?? [])]),
      ),
      queryDurationSec,
      trainingDurationSec,
    },
  };
}

/** The finite points of one tag of a source inside `[fromMs, toMs)`. */
export function seriesOf(
  source: ParsedSensorCsv,
  tag: string,
  fromMs: number,
  toMs: number,
  where: string,
): TagSeries {
  const index = source.tags.indexOf(tag);
  const values = index >= 0 ? source.values[index] : undefined;
  if (values === undefined) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `${where}: tag "${tag}" is not a column of its source; the source maps ${source.tags.join(', ')}`,
    );
  }
  const timesMs: number[] = [];
  const kept: number[] = [];
  source.timesMs.forEach((timeMs, row) => {
    const value = values[row] ?? Number.NaN;
    if (timeMs >= fromMs && timeMs < toMs && Number.isFinite(value)) {
      timesMs.push(timeMs);
      kept.push(value);
    }
  });
  if (timesMs.length === 0) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `${where}: tag "${tag}" has no data in [${isoUtc(fromMs)}, ${isoUtc(toMs)})`,
    );
  }
  return { tag: { name: tag }, timesMs, values: kept };
}

function instantOf(text: string): number {
  return parseGordoTimestamp(text) ?? Number.NaN;
}

function offsetOf(text: string): number {
  const parsed = parsePandasOffset(text);
  return 'ms' in parsed ? parsed.ms : Number.NaN;
}
