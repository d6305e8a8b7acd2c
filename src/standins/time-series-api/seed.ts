import { readFileSync } from 'node:fs';

import { parseApiTime } from '../../clients/time-series-api/timestamps.js';
import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { parseSensorCsv } from '../../sensor-data/csv/parse-csv.js';
import {
  SEEDED_STATUS,
  checkRecordingFits,
  replayPoints,
  type Recording,
  type ReplayPlan,
} from './replay.js';
import type { SeedSource } from './seed-config.js';
import type { SeriesStore } from './store.js';

interface LoadedSource {
  readonly file: string;
  readonly seriesIds: readonly string[];
  readonly recording: Recording;
  readonly replay?: ReplayPlan & { readonly historyMs: number; readonly extendEveryMs: number };
}

/** Stops the replay timers of a seeded store. */
export interface SeedHandle {
  /** Series created or found, by source file. */
  readonly seriesCount: number;
  stop(): void;
}

/**
 * Loads the seed sources into the store: one series per mapped column (found again by name and
 * facility when the database file already has it), the recorded points at their own times, and,
 * for sources with a replay, copies of the recording over the configured history up to now,
 * extended by a timer while the stand-in runs. Existing points are never overwritten by seeding.
 */
export function seedStore(
  store: SeriesStore,
  sources: readonly SeedSource[],
  logger: Logger,
  clock: () => number = Date.now,
): SeedHandle {
  const loaded = sources.map((source) => loadSource(store, source, clock()));
  const timers: NodeJS.Timeout[] = [];
  for (const source of loaded) {
    const replay = source.replay;
    if (replay === undefined) {
      continue;
    }
    let doneToMs = clock() - replay.historyMs;
    const extend = (): void => {
      const nowMs = clock();
      const written = writeCopies(store, source, replay, doneToMs, nowMs);
      logger.debug({ file: source.file, points: written }, 'replayed recording up to now');
      doneToMs = nowMs;
    };
    extend();
    const timer = setInterval(extend, replay.extendEveryMs);
    timer.unref();
    timers.push(timer);
  }
  logger.info(
    {
      sources: loaded.length,
      series: loaded.reduce((sum, source) => sum + source.seriesIds.length, 0),
    },
    'time series api stand-in seeded',
  );
  return {
    seriesCount: loaded.reduce((sum, source) => sum + source.seriesIds.length, 0),
    stop: () => timers.forEach((timer) => clearInterval(timer)),
  };
}

function loadSource(store: SeriesStore, source: SeedSource, nowMs: number): LoadedSource {
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    throw new LatigoError('CONFIG_INVALID', `cannot read seed CSV file ${source.file}`, {
      cause: error,
      context: { file: source.file },
    });
  }
  const parsed = parseSensorCsv(text, {
    file: source.file,
    delimiter: source.delimiter,
    timestampColumn: source.timestamp_column,
    timeZone: source.time_zone,
    columns: source.columns,
  });
  const columnOfTag = new Map(Object.entries(source.columns).map(([column, tag]) => [tag, column]));
  const seriesIds = parsed.tags.map((tag) => {
    const existing = store.findExact(tag, source.facility);
    if (existing !== undefined) {
      return existing.id;
    }
    return store.create(
      {
        name: tag,
        facility: source.facility,
        description: `Column "${columnOfTag.get(tag) ?? tag}" of ${source.file}`,
        step: false,
        unit: source.units[tag] ?? null,
        assetId: null,
        externalId: null,
        source: 'latigo-standin',
        metadata: null,
      },
      nowMs,
    ).id;
  });
  const recording: Recording = { timesMs: parsed.timesMs, values: parsed.values };
  store.upsertPoints(
    seriesIds.map((id, tag) => ({
      id,
      points: parsed.timesMs.flatMap((timeMs, row) => {
        const value = parsed.values[tag]?.[row];
        return value !== undefined && Number.isFinite(value)
          ? [{ timeMs, value, status: SEEDED_STATUS }]
          : [];
      }),
    })),
    true,
  );

  if (source.replay === undefined) {
    return { file: source.file, seriesIds, recording };
  }
  const plan: ReplayPlan = {
    originMs: parseApiTime(source.replay.origin) ?? Number.NaN,
    periodMs: source.replay.period,
  };
  checkRecordingFits(recording, plan, source.file);
  return {
    file: source.file,
    seriesIds,
    recording,
    replay: {
      ...plan,
      historyMs: source.replay.history,
      extendEveryMs: source.replay.extend_every,
    },
  };
}

function writeCopies(
  store: SeriesStore,
  source: LoadedSource,
  plan: ReplayPlan,
  fromMs: number,
  toMs: number,
): number {
  const perTag = replayPoints(source.recording, plan, fromMs, toMs);
  return store.upsertPoints(
    source.seriesIds.map((id, tag) => ({ id, points: perTag[tag] ?? [] })),
    true,
  );
}
