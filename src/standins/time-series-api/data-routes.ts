import { formatApiTime } from '../../clients/time-series-api/timestamps.js';
import {
  ApiProblem,
  envelope,
  message,
  type ApiBehaviour,
  type ApiRequest,
  type ApiResponse,
} from './api-types.js';
import { dataToken, readDataToken, type ResumePoint } from './continuation.js';
import { notFound } from './metadata-routes.js';
import {
  DEFAULT_POINT_LIMIT,
  MAX_POINT_LIMIT,
  MAX_QUERY_ITEMS,
  boolParam,
  intParam,
  isRecord,
  statusValue,
  timeParam,
} from './params.js';
import type { SeriesStore, StoredPoint } from './store.js';

/** What to read of one series. Both bounds are inclusive, as the stand-in chooses. */
interface ReadSpec {
  readonly id: string;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
  readonly limit: number;
  readonly includeOutsidePoints: boolean;
  readonly statuses: readonly number[];
}

interface ReadPage {
  readonly points: StoredPoint[];
  /** Set when more points remain: the time of the last point returned. */
  readonly resumeAfterMs?: number | undefined;
}

function readPage(store: SeriesStore, spec: ReadSpec, afterMs: number | undefined): ReadPage {
  const found = store.readPoints(
    spec.id,
    { fromMs: spec.fromMs, toMs: spec.toMs, afterMs },
    spec.limit + 1,
    spec.statuses,
  );
  const more = found.length > spec.limit;
  const points = found.slice(0, spec.limit);
  const resumeAfterMs = more ? points[points.length - 1]?.timeMs : undefined;
  if (spec.includeOutsidePoints && afterMs === undefined && spec.fromMs !== undefined) {
    const before = store.neighbour(spec.id, { beforeMs: spec.fromMs });
    if (before !== undefined) {
      points.unshift(before);
    }
  }
  if (spec.includeOutsidePoints && !more && spec.toMs !== undefined) {
    const after = store.neighbour(spec.id, { afterMs: spec.toMs });
    if (after !== undefined) {
      points.push(after);
    }
  }
  return { points, resumeAfterMs };
}

function pointsJson(points: readonly StoredPoint[], behaviour: ApiBehaviour): unknown[] {
  return points.map((point) => ({
    time: formatApiTime(point.timeMs, behaviour.fractionDigits),
    value: point.value,
    status: point.status,
  }));
}

/** `POST /query/data`: raw points of up to 100 series, paged by one query-level token. */
export function queryData(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  request: ApiRequest,
): ApiResponse {
  const body = request.body;
  if (!Array.isArray(body)) {
    throw new ApiProblem(400, 'the body must be a JSON array of request items');
  }
  if (body.length > MAX_QUERY_ITEMS) {
    throw new ApiProblem(
      400,
      `at most ${MAX_QUERY_ITEMS} timeseries per request, got ${body.length}`,
    );
  }
  const specs = body.map((item: unknown, index) => readSpecOf(item, `[${index}]`));
  const resumeFrom = resumeMap(request.query.get('continuationToken'), specs);

  const items: unknown[] = [];
  const resume: ResumePoint[] = [];
  specs.forEach((spec, index) => {
    if (store.get(spec.id) === undefined) {
      if (behaviour.unknownQueryId === 'not_found') {
        throw new ApiProblem(404, `Timeseries with id '${spec.id}' not found.`);
      }
      items.push({ id: spec.id, datapoints: [] });
      return;
    }
    const itemToken = itemResume(body[index], spec.id);
    const state = resumeFrom === undefined ? { afterMs: itemToken } : resumeFrom.get(index);
    if (state === undefined) {
      // Finished on an earlier page.
      items.push({ id: spec.id, datapoints: [] });
      return;
    }
    const page = readPage(store, spec, state.afterMs);
    items.push({ id: spec.id, datapoints: pointsJson(page.points, behaviour) });
    if (page.resumeAfterMs !== undefined) {
      resume.push({ index, id: spec.id, afterMs: page.resumeAfterMs });
    }
  });
  return envelope(items, resume.length === 0 ? undefined : dataToken(resume));
}

/** `GET /{id}/data`: raw points of one series. */
export function getData(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  id: string,
  request: ApiRequest,
): ApiResponse {
  if (store.get(id) === undefined) {
    return notFound(id);
  }
  const query = request.query;
  const spec = readSpecOf(
    {
      id,
      startTime: query.get('startTime'),
      endTime: query.get('endTime'),
      limit: query.get('limit'),
      includeOutsidePoints: query.get('includeOutsidePoints'),
      statusFilter: query.all('status'),
    },
    'query',
  );
  const token = query.get('continuationToken');
  let afterMs: number | undefined;
  if (token !== undefined && token !== '') {
    const resume = readDataToken(token);
    if (resume?.length !== 1 || resume[0]?.id !== id) {
      throw new ApiProblem(400, 'continuationToken is not valid for this request');
    }
    afterMs = resume[0].afterMs;
  }
  const page = readPage(store, spec, afterMs);
  return envelope(
    [{ id, datapoints: pointsJson(page.points, behaviour) }],
    page.resumeAfterMs === undefined
      ? undefined
      : dataToken([{ index: 0, id, afterMs: page.resumeAfterMs }]),
  );
}

/** `POST /data` (many series) and `POST /{id}/data` (one): upsert by timestamp, all or nothing. */
export function writeData(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  request: ApiRequest,
  singleId?: string,
): ApiResponse {
  const body = request.body;
  if (!isRecord(body)) {
    throw new ApiProblem(400, 'the body must be a JSON object');
  }
  const rawItems: unknown[] =
    singleId === undefined
      ? Array.isArray(body['items'])
        ? body['items']
        : invalid(`'items' must be an array`)
      : [{ id: singleId, datapoints: body['datapoints'] }];
  const items = rawItems.map((item, index) => writeItemOf(item, `items[${index}]`));
  for (const item of items) {
    if (store.get(item.id) === undefined) {
      return notFound(item.id);
    }
  }
  store.upsertPoints(items);

  const queued = boolParam(request.query.get('async'), 'async', behaviour.asyncByDefault);
  const count = new Set(items.map((item) => item.id)).size;
  return queued
    ? message(202, `Accepted datapoints for ${count} timeseries`)
    : message(200, `Successfully wrote datapoints to ${count} timeseries`);
}

/** `DELETE /{id}/data?startTime&endTime`: start inclusive, end exclusive. */
export function deleteData(store: SeriesStore, id: string, request: ApiRequest): ApiResponse {
  if (store.get(id) === undefined) {
    return notFound(id);
  }
  const deleted = store.deletePoints(
    id,
    timeParam(request.query.get('startTime'), 'startTime'),
    timeParam(request.query.get('endTime'), 'endTime'),
  );
  return message(200, `Deleted ${deleted} datapoints from timeseries '${id}'`);
}

function readSpecOf(item: unknown, where: string): ReadSpec {
  if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'] === '') {
    throw new ApiProblem(400, `${where}: each request item needs an 'id'`);
  }
  if (item['aggregateFunctions'] !== undefined || item['processingInterval'] !== undefined) {
    throw new ApiProblem(400, `${where}: aggregates are not supported by this stand-in`);
  }
  const statusFilter = item['statusFilter'] ?? [];
  if (!Array.isArray(statusFilter)) {
    throw new ApiProblem(400, `${where}.statusFilter must be a list of integers`);
  }
  return {
    id: item['id'],
    fromMs: timeParam(item['startTime'], `${where}.startTime`),
    toMs: timeParam(item['endTime'], `${where}.endTime`),
    limit: intParam(item['limit'], `${where}.limit`, {
      min: 1,
      max: MAX_POINT_LIMIT,
      fallback: DEFAULT_POINT_LIMIT,
    }),
    includeOutsidePoints: boolParam(
      item['includeOutsidePoints'],
      `${where}.includeOutsidePoints`,
      false,
    ),
    statuses: statusFilter.map((status: unknown, index) =>
      statusValue(status, `${where}.statusFilter[${index}]`),
    ),
  };
}

/** The query-level token as resume points by item index; undefined when there is no token. */
function resumeMap(
  token: string | undefined,
  specs: readonly ReadSpec[],
): Map<number, { afterMs: number }> | undefined {
  if (token === undefined || token === '') {
    return undefined;
  }
  const resume = readDataToken(token);
  if (resume === undefined || resume.some((point) => specs[point.index]?.id !== point.id)) {
    throw new ApiProblem(400, 'continuationToken is not valid for this request');
  }
  return new Map(resume.map((point) => [point.index, { afterMs: point.afterMs }]));
}

/** A per-item token (`continuationToken` inside a request item), for that item alone. */
function itemResume(item: unknown, id: string): number | undefined {
  const token = isRecord(item) ? item['continuationToken'] : undefined;
  if (token === undefined || token === null || token === '') {
    return undefined;
  }
  const resume = typeof token === 'string' ? readDataToken(token) : undefined;
  const point = resume?.find((entry) => entry.id === id);
  if (point === undefined) {
    throw new ApiProblem(400, `the continuationToken of item '${id}' is not valid`);
  }
  return point.afterMs;
}

function writeItemOf(item: unknown, where: string): { id: string; points: StoredPoint[] } {
  if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'] === '') {
    throw new ApiProblem(400, `${where}: each item needs an 'id'`);
  }
  const datapoints = item['datapoints'];
  if (!Array.isArray(datapoints)) {
    throw new ApiProblem(400, `${where}.datapoints must be an array`);
  }
  const points = datapoints.map((point: unknown, index): StoredPoint => {
    const at = `${where}.datapoints[${index}]`;
    if (!isRecord(point)) {
      throw new ApiProblem(400, `${at} must be an object with time, value and status`);
    }
    const timeMs = timeParam(point['time'], `${at}.time`);
    if (timeMs === undefined) {
      throw new ApiProblem(400, `${at}.time is required`);
    }
    const value = point['value'];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ApiProblem(400, `${at}.value must be a finite number`);
    }
    return { timeMs, value, status: statusValue(point['status'], `${at}.status`) };
  });
  return { id: item['id'], points };
}

function invalid(text: string): never {
  throw new ApiProblem(400, text);
}
