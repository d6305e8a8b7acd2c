import type { IncomingHttpHeaders } from 'node:http';

/** One request a stand-in received, for tests. Secret header values are replaced. */
export interface LoggedRequest {
  /** Epoch milliseconds when the request arrived. */
  readonly receivedMs: number;
  readonly method: string;
  /** Path below the base path, without query. */
  readonly path: string;
  /** The raw query string without `?` ('' when none). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
  /** The status answered; 0 when the stand-in did not answer (timeout or reset fault). */
  status: number;
  /** Faults applied to this request, e.g. `['latency', 'status 429']`. */
  readonly faults: readonly string[];
}

/** Header values that are never kept in the log. */
const SECRET_HEADERS = new Set(['authorization', 'ocp-apim-subscription-key', 'cookie']);

/** The last `capacity` requests, oldest first. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 1000) {}

  record(entry: LoggedRequest): LoggedRequest {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      this.entries.shift();
    }
    return entry;
  }

  list(): readonly LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Flattens headers, replacing secret values with `[present]`. */
export function loggableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    flat[name] = SECRET_HEADERS.has(name)
      ? '[present]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return flat;
}
