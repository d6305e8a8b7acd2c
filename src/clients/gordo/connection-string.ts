import { LatigoError } from '../../errors/index.js';

/** Where a Gordo deployment answers, parsed from a `connection_string`. */
export interface GordoEndpoint {
  /** `scheme://host:port` plus any path before `/gordo/v<n>`, without a trailing slash. */
  readonly origin: string;
  /** The API path, e.g. `/gordo/v0`. */
  readonly apiPath: string;
  /** `origin + apiPath`: project paths are appended to it. */
  readonly baseUrl: string;
}

const API_PATH = /^(.*?)(\/gordo\/v\d+)\/?$/;

/**
 * Parses a connection string such as `https://host/gordo/v0/`. Scheme, host and port come from
 * it (port 443 for https and 80 for http when absent); its path must end in `/gordo/v<digits>`
 * with an optional trailing slash. A path before that (a gateway prefix) is kept. Query strings,
 * fragments and credentials are refused. Messages never repeat the value: it may be secret.
 */
export function parseGordoConnectionString(text: string, section: string): GordoEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw invalid(section, 'is not a URL', error);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(section, 'must use http or https');
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw invalid(section, 'must not carry credentials, a query or a fragment');
  }
  const match = API_PATH.exec(url.pathname);
  if (match === null) {
    throw invalid(
      section,
      'must have a path ending in /gordo/v<digits>, e.g. https://host/gordo/v0/',
    );
  }
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  const origin = `${url.protocol}//${url.hostname}:${port}${match[1] ?? ''}`;
  const apiPath = match[2] ?? '/gordo/v0';
  return { origin, apiPath, baseUrl: `${origin}${apiPath}` };
}

function invalid(section: string, problem: string, cause?: unknown): LatigoError {
  return new LatigoError('CONFIG_INVALID', `${section}.connection_string ${problem}`, {
    context: { key: `${section}.connection_string` },
    ...(cause === undefined ? {} : { cause }),
  });
}
