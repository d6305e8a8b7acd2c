import type { Route, StandinRequest, StandinResponse } from '../common/index.js';
import {
  ApiProblem,
  QueryParams,
  message,
  type ApiBehaviour,
  type ApiRequest,
  type ApiResponse,
} from './api-types.js';
import { deleteData, getData, queryData, writeData } from './data-routes.js';
import {
  createSeries,
  deleteSeries,
  getSeries,
  listSeries,
  seriesJson,
  updateSeries,
} from './metadata-routes.js';
import type { SeriesStore } from './store.js';

type Handler = (request: ApiRequest, id: string) => ApiResponse;

/**
 * The routes of the Time Series API below its versioned prefix (contract §10). Literal routes
 * come before `/:id` routes so `/query/data` and `/data` are never read as ids.
 */
export function timeSeriesApiRoutes(store: SeriesStore, behaviour: ApiBehaviour): Route[] {
  const route = (method: Route['method'], path: string, handler: Handler): Route => ({
    method,
    path,
    handler: (request) => answer(request, handler),
  });
  return [
    route('GET', '/', (request) => listSeries(store, behaviour, request)),
    route('POST', '/', (request) => createSeries(store, behaviour, request)),
    route('POST', '/query/data', (request) => queryData(store, behaviour, request)),
    route('POST', '/data', (request) => writeData(store, behaviour, request)),
    route('GET', '/:id', (_request, id) => getSeries(store, behaviour, id)),
    route('PATCH', '/:id', (request, id) => updateSeries(store, behaviour, id, request)),
    route('PUT', '/:id', (request, id) => updateSeries(store, behaviour, id, request)),
    route('DELETE', '/:id', (_request, id) => deleteSeries(store, id)),
    route('GET', '/:id/data', (request, id) => getData(store, behaviour, id, request)),
    route('POST', '/:id/data', (request, id) => writeData(store, behaviour, request, id)),
    route('DELETE', '/:id/data', (request, id) => deleteData(store, id, request)),
  ];
}

/**
 * Control routes for tests (below `/_control`, no token): `GET /series?name&facility` lists
 * series with their point counts; `GET /series/:id/points` answers every point of one series.
 */
export function timeSeriesApiControlRoutes(store: SeriesStore, behaviour: ApiBehaviour): Route[] {
  return [
    {
      method: 'GET',
      path: '/series',
      handler: (request) => {
        const query = new QueryParams(request.query);
        const rows = store.list(
          { name: query.get('name'), facility: query.get('facility') },
          0,
          Number.MAX_SAFE_INTEGER,
        );
        return {
          status: 200,
          body: {
            items: rows.map((row) => ({
              ...seriesJson(row, behaviour),
              pointCount: store.countPoints(row.id),
            })),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/series/:id/points',
      handler: (request) => {
        const id = request.params['id'] ?? '';
        if (store.get(id) === undefined) {
          return toStandin(message(404, `Timeseries with id '${id}' not found.`));
        }
        const points = store.readPoints(id, {}, Number.MAX_SAFE_INTEGER);
        return {
          status: 200,
          body: {
            id,
            datapoints: points.map((point) => ({
              time: new Date(point.timeMs).toISOString(),
              value: point.value,
              status: point.status,
            })),
          },
        };
      },
    },
  ];
}

function answer(request: StandinRequest, handler: Handler): StandinResponse {
  try {
    const apiRequest: ApiRequest = {
      method: request.method,
      path: request.path,
      query: new QueryParams(request.query),
      body: parseBody(request.bodyText),
    };
    return toStandin(handler(apiRequest, request.params['id'] ?? ''));
  } catch (error) {
    if (error instanceof ApiProblem) {
      return toStandin(message(error.status, error.message));
    }
    throw error;
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiProblem(400, `the request body is not JSON: ${reason}`);
  }
}

function toStandin(response: ApiResponse): StandinResponse {
  return { status: response.status, body: response.body };
}
