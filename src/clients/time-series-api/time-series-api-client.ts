import { LatigoError } from '../../errors/index.js';
import type { HttpClient } from '../../http/index.js';
import type { Logger } from '../../logging/logger.js';
import { chunkItems } from './chunk-items.js';
import { formatApiTime, parseApiTime } from './timestamps.js';
import {
  datapointsResponseSchema,
  seriesListSchema,
  type NewSeries,
  type ReadRequestItem,
  type SeriesRecord,
  type WriteItem,
} from './wire.js';

/** Series per `POST /query/data` allowed by the API. */
export const MAX_IDS_PER_READ = 100;
/** Points per series per read allowed by the API. */
export const MAX_POINTS_PER_PAGE = 100_000;

export interface TimeSeriesApiClientOptions {
  /** The HTTP client for the versioned base URL (timeouts, retries, token). */
  readonly http: HttpClient;
  /** `limit` of each read item: points per series per page, 1 to 100 000. */
  readonly pageLimit: number;
  /** Series per read request, 1 to 100. */
  readonly idsPerRead: number;
  /** Points per write request (all series of the request together). */
  readonly pointsPerWrite: number;
  /** The `async` flag sent with every write. */
  readonly asyncWrites: boolean;
  readonly logger: Logger;
}

/** One point as read: epoch ms and value. */
export interface ReadPoint {
  readonly timeMs: number;
  readonly value: number;
}

/** What one read of many series did. */
export interface ReadResult {
  /** Points per requested id, as the API answered them (not yet cut to the window). */
  readonly points: ReadonlyMap<string, readonly ReadPoint[]>;
  readonly requests: number;
  /** Points whose value was null, left out. */
  readonly nullValues: number;
}

/**
 * The calls Latigo makes to the Omnia Time Series API (contract: time-series-api.md §3): find
 * series by name and facility, create one, read raw points of many series (batches of at most
 * 100 ids, continuation tokens followed to the end) and write points of many series in chunks.
 */
export class TimeSeriesApiClient {
  private readonly http: HttpClient;

  constructor(private readonly options: TimeSeriesApiClientOptions) {
    this.http = options.http;
  }

  /** `GET /?name=..[&facility=..]`, every page. Empty when nothing has that name. */
  async findByName(
    name: string,
    facility: string | undefined,
    signal?: AbortSignal,
  ): Promise<SeriesRecord[]> {
    const found: SeriesRecord[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    do {
      const answer = await this.http.requestJson(
        {
          method: 'GET',
          path: '',
          query: { name, facility, continuationToken: token },
          signal,
        },
        seriesListSchema,
      );
      found.push(...answer.data.items);
      token = nextToken(answer.continuationToken, seenTokens, 'GET /', answer.data.items.length);
    } while (token !== undefined);
    return found;
  }

  /**
   * `POST /`: creates a series and answers it. A name already used in the facility fails with
   * HTTP_STATUS and `context.status` 409, which callers turn into a lookup.
   */
  async create(series: NewSeries, signal?: AbortSignal): Promise<SeriesRecord> {
    const answer = await this.http.requestJson(
      { method: 'POST', path: '', body: series, signal },
      seriesListSchema,
    );
    const created = answer.data.items[0];
    if (created === undefined) {
      throw new LatigoError(
        'HTTP_BAD_RESPONSE',
        `time-series-api answered the creation of series "${series.name}" in facility "${series.facility}" without the created series`,
        { context: { service: 'time-series-api', path: '/', series: series.name } },
      );
    }
    return created;
  }

  /**
   * Raw points of many series between `fromMs` and `toMs` (`POST /query/data`), in batches of
   * `idsPerRead` ids, each batch repeated with its continuation token until the API has no more.
   */
  async readPoints(
    ids: readonly string[],
    fromMs: number,
    toMs: number,
    signal?: AbortSignal,
  ): Promise<ReadResult> {
    const points = new Map<string, ReadPoint[]>(ids.map((id) => [id, []]));
    const batchSize = Math.min(Math.max(1, this.options.idsPerRead), MAX_IDS_PER_READ);
    let requests = 0;
    let nullValues = 0;
    for (let start = 0; start < ids.length; start += batchSize) {
      const body: ReadRequestItem[] = ids.slice(start, start + batchSize).map((id) => ({
        id,
        startTime: formatApiTime(fromMs),
        endTime: formatApiTime(toMs),
        limit: Math.min(Math.max(1, this.options.pageLimit), MAX_POINTS_PER_PAGE),
        includeOutsidePoints: false,
      }));
      const seenTokens = new Set<string>();
      let token: string | undefined;
      do {
        const answer = await this.http.requestJson(
          {
            method: 'POST',
            path: '/query/data',
            query: { continuationToken: token },
            body,
            signal,
          },
          datapointsResponseSchema,
        );
        requests += 1;
        let pagePoints = 0;
        for (const item of answer.data.items) {
          const target = points.get(item.id);
          if (target === undefined) {
            this.options.logger.warn(
              { seriesId: item.id },
              'time series api answered an id not asked for',
            );
            continue;
          }
          for (const point of item.datapoints) {
            if (point.value === null) {
              nullValues += 1;
              continue;
            }
            target.push({ timeMs: parsePointTime(point.time, item.id), value: point.value });
            pagePoints += 1;
          }
        }
        token = nextToken(answer.continuationToken, seenTokens, 'POST /query/data', pagePoints);
      } while (token !== undefined);
    }
    return { points, requests, nullValues };
  }

  /**
   * Writes points of many series (`POST /data`), at most `pointsPerWrite` points per request; a
   * series with more points is split over several requests. Writes are upserts by timestamp, so
   * repeating them is harmless. Answers the number of requests made.
   */
  async writePoints(items: readonly WriteItem[], signal?: AbortSignal): Promise<number> {
    const chunks = chunkItems(items, Math.max(1, this.options.pointsPerWrite));
    for (const chunk of chunks) {
      const answer = await this.http.request({
        method: 'POST',
        path: '/data',
        query: { async: this.options.asyncWrites },
        body: { items: chunk },
        signal,
      });
      this.options.logger.debug(
        {
          status: answer.status,
          series: chunk.length,
          points: chunk.reduce((sum, item) => sum + item.datapoints.length, 0),
          answer: messageOf(answer.body),
        },
        'time series api write done',
      );
    }
    return chunks.length;
  }
}

/**
 * The token to ask with next, or undefined at the end. A token seen before, or a token on a page
 * that brought nothing, would loop for ever: both are HTTP_BAD_RESPONSE.
 */
function nextToken(
  token: string | null | undefined,
  seen: Set<string>,
  call: string,
  itemsOnPage: number,
): string | undefined {
  if (token === undefined || token === null || token === '') {
    return undefined;
  }
  if (seen.has(token) || itemsOnPage === 0) {
    throw new LatigoError(
      'HTTP_BAD_RESPONSE',
      `time-series-api answered ${call} with a continuation token that does not advance (${seen.has(token) ? 'repeated' : 'empty page'}); stopped paging`,
      { context: { service: 'time-series-api', call } },
    );
  }
  seen.add(token);
  return token;
}

function parsePointTime(text: string, id: string): number {
  const timeMs = parseApiTime(text);
  if (timeMs === undefined) {
    throw new LatigoError(
      'HTTP_BAD_RESPONSE',
      `time-series-api answered a point of series ${id} with the time "${text}", which is not RFC 3339`,
      { context: { service: 'time-series-api', seriesId: id } },
    );
  }
  return timeMs;
}

function messageOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'message' in body
    ? String(body.message)
    : undefined;
}
