import { randomUUID } from 'node:crypto';

import type { FractionDigits } from '../../clients/time-series-api/timestamps.js';

/** One request as the route handlers see it: the path below the versioned prefix. */
export interface ApiRequest {
  readonly method: string;
  /** Path below the prefix, without a trailing slash: '/' for the collection, '/{id}/data', ... */
  readonly path: string;
  readonly query: QueryParams;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** How the stand-in behaves where the real API's behaviour is unknown or version-dependent. */
export interface ApiBehaviour {
  /** Fractional digits of timestamps in answers: 3 (v1.6 era) or 7 (v1.7 era). */
  readonly fractionDigits: Exclude<FractionDigits, 0>;
  /**
   * Facility codes accepted on create besides those of stored series. When both are empty,
   * any facility is accepted.
   */
  readonly facilities: readonly string[];
  /** Answer to an unknown id inside `POST /query/data`: 404, or an item with no points. */
  readonly unknownQueryId: 'not_found' | 'empty';
  /** Whether a write without `async` is queued (202, v1.7) rather than committed (200, v1.6). */
  readonly asyncByDefault: boolean;
}

export const DEFAULT_BEHAVIOUR: ApiBehaviour = {
  fractionDigits: 7,
  facilities: [],
  unknownQueryId: 'not_found',
  asyncByDefault: false,
};

/** The API's message object, used for write answers and errors. */
export function message(status: number, text: string): ApiResponse {
  return { status, body: { statusCode: status, message: text, traceId: randomUUID() } };
}

/** The API's envelope around items. */
export function envelope(items: readonly unknown[], continuationToken?: string): ApiResponse {
  return {
    status: 200,
    body: {
      data: { items },
      ...(continuationToken === undefined ? {} : { continuationToken }),
    },
  };
}

/**
 * Query parameters with case-insensitive names (no source says the server is case-sensitive).
 * A repeated parameter answers its first value to `get` (old Latigo sent `name` twice).
 */
export class QueryParams {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const lower = key.toLowerCase();
      const list = this.values.get(lower);
      if (list === undefined) {
        this.values.set(lower, [value]);
      } else {
        list.push(value);
      }
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }

  all(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }
}

/** A request error, answered as a message object with its status. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
