import { formatApiTime } from '../../clients/time-series-api/timestamps.js';
import {
  ApiProblem,
  envelope,
  message,
  type ApiBehaviour,
  type ApiRequest,
  type ApiResponse,
} from './api-types.js';
import { listToken, readListToken } from './continuation.js';
import { DEFAULT_LIST_LIMIT, MAX_POINT_LIMIT, intParam, isRecord } from './params.js';
import {
  DuplicateSeriesError,
  type SeriesFields,
  type SeriesRow,
  type SeriesStore,
} from './store.js';

/** A series as the API renders it (all fields, null where empty). */
export function seriesJson(row: SeriesRow, behaviour: ApiBehaviour): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    step: row.step,
    unit: row.unit,
    assetId: row.assetId,
    facility: row.facility,
    externalId: row.externalId,
    source: row.source,
    metadata: row.metadata,
    createdTime: formatApiTime(row.createdMs, behaviour.fractionDigits),
    changedTime: formatApiTime(row.changedMs, behaviour.fractionDigits),
  };
}

/** `GET /`: series by name, facility, externalId, assetId, source; paged by offset tokens. */
export function listSeries(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  request: ApiRequest,
): ApiResponse {
  const limit = intParam(request.query.get('limit'), 'limit', {
    min: 1,
    max: MAX_POINT_LIMIT,
    fallback: DEFAULT_LIST_LIMIT,
  });
  const token = request.query.get('continuationToken');
  const offset = token === undefined || token === '' ? 0 : readListToken(token);
  if (offset === undefined) {
    throw new ApiProblem(400, 'continuationToken is not valid for this request');
  }
  const rows = store.list(
    {
      name: nonEmpty(request.query.get('name')),
      facility: nonEmpty(request.query.get('facility')),
      externalId: nonEmpty(request.query.get('externalId')),
      assetId: nonEmpty(request.query.get('assetId')),
      source: nonEmpty(request.query.get('source')),
    },
    offset,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? listToken(offset + limit) : undefined;
  return envelope(
    page.map((row) => seriesJson(row, behaviour)),
    next,
  );
}

/** `POST /`: creates a series; 409 on a name taken in the facility, 400 on unknown facility. */
export function createSeries(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  request: ApiRequest,
): ApiResponse {
  const fields = seriesFields(request.body, undefined);
  checkFacility(store, behaviour, fields.facility);
  return withConflict(() => envelope([seriesJson(store.create(fields), behaviour)]));
}

/** `GET /{id}`. */
export function getSeries(store: SeriesStore, behaviour: ApiBehaviour, id: string): ApiResponse {
  const row = store.get(id);
  return row === undefined ? notFound(id) : envelope([seriesJson(row, behaviour)]);
}

/** `PATCH /{id}` (fields left out stay) and `PUT /{id}` (full replace). */
export function updateSeries(
  store: SeriesStore,
  behaviour: ApiBehaviour,
  id: string,
  request: ApiRequest,
): ApiResponse {
  const current = store.get(id);
  if (current === undefined) {
    return notFound(id);
  }
  const fields = seriesFields(request.body, request.method === 'PATCH' ? current : undefined);
  if ((fields.facility ?? '').toLowerCase() !== (current.facility ?? '').toLowerCase()) {
    checkFacility(store, behaviour, fields.facility);
  }
  return withConflict(() => {
    const updated = store.update(id, fields);
    return updated === undefined ? notFound(id) : envelope([seriesJson(updated, behaviour)]);
  });
}

/** `DELETE /{id}`: the series and its points. */
export function deleteSeries(store: SeriesStore, id: string): ApiResponse {
  return store.delete(id) ? message(200, `Deleted timeseries '${id}'`) : notFound(id);
}

export function notFound(id: string): ApiResponse {
  return message(404, `Timeseries with id '${id}' not found.`);
}

function withConflict(action: () => ApiResponse): ApiResponse {
  try {
    return action();
  } catch (error) {
    if (error instanceof DuplicateSeriesError) {
      return message(409, error.message);
    }
    throw error;
  }
}

function checkFacility(store: SeriesStore, behaviour: ApiBehaviour, facility: string | null): void {
  const known = new Set(
    [...behaviour.facilities, ...store.facilities()].map((code) => code.toLowerCase()),
  );
  if (known.size > 0 && !known.has((facility ?? '').toLowerCase())) {
    throw new ApiProblem(400, 'Facility not found.');
  }
}

/**
 * The fields of a create/put body, or of a patch body over `base`. `name` and `facility` are
 * required (facility since v1.6).
 */
function seriesFields(body: unknown, base: SeriesRow | undefined): SeriesFields {
  if (!isRecord(body)) {
    throw new ApiProblem(400, 'the body must be a JSON object describing one timeseries');
  }
  const text = (key: string): string | null | undefined => {
    const value = body[key];
    if (value === undefined || value === null || typeof value === 'string') {
      return value;
    }
    throw new ApiProblem(400, `'${key}' must be a string or null`);
  };
  const pick = <K extends keyof SeriesFields>(
    key: K,
    read: SeriesFields[K] | undefined,
    fallback: SeriesFields[K],
  ): SeriesFields[K] => (read !== undefined ? read : base !== undefined ? base[key] : fallback);

  const step = body['step'];
  if (step !== undefined && step !== null && typeof step !== 'boolean') {
    throw new ApiProblem(400, `'step' must be true or false`);
  }
  const metadata = body['metadata'];
  if (metadata !== undefined && metadata !== null && !isRecord(metadata)) {
    throw new ApiProblem(400, `'metadata' must be an object of key/value pairs or null`);
  }
  const fields: SeriesFields = {
    name: pick('name', text('name') ?? undefined, ''),
    facility: pick('facility', text('facility'), null),
    description: pick('description', text('description'), null),
    step: pick('step', step ?? undefined, false),
    unit: pick('unit', text('unit'), null),
    assetId: pick('assetId', text('assetId'), null),
    externalId: pick('externalId', text('externalId'), null),
    source: pick('source', text('source'), null),
    metadata: pick('metadata', metadata, null),
  };
  if (fields.name === '') {
    throw new ApiProblem(400, `'name' is required`);
  }
  if (fields.facility === null || fields.facility === '') {
    throw new ApiProblem(400, `'facility' is required`);
  }
  return fields;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
