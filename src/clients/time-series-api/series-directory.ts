import { LatigoError, isLatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { IdCache } from './id-cache.js';
import type { TimeSeriesApiClient } from './time-series-api-client.js';
import type { NewSeries, SeriesRecord } from './wire.js';

/** What the API says of the facility of a tag looked up by name alone. */
export type FacilityLookup =
  | { readonly kind: 'found'; readonly facility: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'ambiguous'; readonly facilities: readonly string[] }
  | { readonly kind: 'no-facility'; readonly seriesId: string };

export interface SeriesDirectoryOptions {
  readonly client: TimeSeriesApiClient;
  /** How long a found id (or a tag's facility) is trusted. 0 turns the cache off. */
  readonly cacheTtlMs: number;
  readonly logger: Logger;
  readonly clock?: (() => number) | undefined;
}

/**
 * Series ids by name and facility, cached for a while. Ids never change once the API assigned
 * them, so found ids are kept for `cacheTtlMs`; names not found are never kept (the original
 * kept them 24 h, hiding series created in the meantime). A series that disappears shows as a
 * 404 on use; callers pass the error through `afterFailure()`, which drops the cache.
 */
export class SeriesDirectory {
  private readonly ids: IdCache<string>;
  private readonly facilities: IdCache<string>;

  constructor(private readonly options: SeriesDirectoryOptions) {
    this.ids = new IdCache(options.cacheTtlMs, 100_000, options.clock);
    this.facilities = new IdCache(options.cacheTtlMs, 100_000, options.clock);
  }

  /** The id of the series named exactly `name` in `facility` (any case), if there is one. */
  async idOf(name: string, facility: string, signal?: AbortSignal): Promise<string | undefined> {
    const key = cacheKey(name, facility);
    const cached = this.ids.get(key);
    if (cached !== undefined) {
      return cached;
    }
    // The API filters by facility itself, matching equivalent codes of one plant too, so the
    // facility spelling of the answer is not compared here.
    const found = exactMatches(await this.options.client.findByName(name, facility, signal), name);
    const id = found[0]?.id;
    if (id !== undefined) {
      this.ids.set(key, id);
    }
    return id;
  }

  /**
   * The facility of a tag, found by its name alone. A name in several facilities is ambiguous:
   * configure the facility instead.
   */
  async facilityOf(name: string, signal?: AbortSignal): Promise<FacilityLookup> {
    const cached = this.facilities.get(name);
    if (cached !== undefined) {
      return { kind: 'found', facility: cached };
    }
    const found = exactMatches(await this.options.client.findByName(name, undefined, signal), name);
    const first = found[0];
    if (first === undefined) {
      return { kind: 'missing' };
    }
    const facilities = [...new Set(found.map((record) => record.facility ?? ''))].sort();
    if (facilities.length > 1) {
      return { kind: 'ambiguous', facilities };
    }
    if (first.facility === undefined || first.facility === null || first.facility === '') {
      return { kind: 'no-facility', seriesId: first.id };
    }
    this.facilities.set(name, first.facility);
    this.ids.set(cacheKey(name, first.facility), first.id);
    return { kind: 'found', facility: first.facility };
  }

  /**
   * The id of the series `series.name` in `series.facility`, created when missing. A 409 on the
   * create (someone else created it meanwhile, or a stale answer) is answered by looking it up
   * by name and facility.
   */
  async findOrCreate(series: NewSeries, signal?: AbortSignal): Promise<string> {
    const existing = await this.idOf(series.name, series.facility, signal);
    if (existing !== undefined) {
      return existing;
    }
    try {
      const created = await this.options.client.create(series, signal);
      this.ids.set(cacheKey(series.name, series.facility), created.id);
      return created.id;
    } catch (error) {
      if (!isConflict(error)) {
        throw error;
      }
      this.options.logger.debug(
        { series: series.name, facility: series.facility },
        'output series exists already (409); looking it up',
      );
      const id = await this.idOf(series.name, series.facility, signal);
      if (id === undefined) {
        throw new LatigoError(
          'STORAGE_FAILED',
          `time-series-api refused to create series "${series.name}" in facility "${series.facility}" as existing (409), but no series of that name is found there`,
          {
            retriable: false,
            cause: error,
            context: { series: series.name, facility: series.facility },
          },
        );
      }
      return id;
    }
  }

  /** Forgets every cached id and facility. */
  clear(): void {
    this.ids.clear();
    this.facilities.clear();
  }

  /**
   * The error to throw after a request that used cached ids failed. A 404 means an id is stale
   * (the series was deleted): the cache is dropped and the error becomes retriable, so the next
   * attempt looks the names up again. Other errors pass unchanged.
   */
  afterFailure(error: unknown): unknown {
    if (!isLatigoError(error) || !isNotFound(error)) {
      return error;
    }
    this.clear();
    return new LatigoError(
      'HTTP_STATUS',
      `${error.message}; cached series ids were dropped and will be looked up again`,
      { retriable: true, context: error.context, cause: error },
    );
  }
}

function cacheKey(name: string, facility: string): string {
  return `${facility.toLowerCase()}::${name}`;
}

function exactMatches(records: readonly SeriesRecord[], name: string): SeriesRecord[] {
  return records.filter((record) => record.name === name);
}

function isConflict(error: unknown): boolean {
  return isLatigoError(error) && error.code === 'HTTP_STATUS' && error.context['status'] === 409;
}

function isNotFound(error: unknown): boolean {
  return isLatigoError(error) && error.code === 'HTTP_STATUS' && error.context['status'] === 404;
}
