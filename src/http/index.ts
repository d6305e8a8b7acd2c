export {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type QueryValue,
} from './http-client.js';
export { parseRetryAfterMs } from './http-errors.js';
export { parsePythonJson } from './python-json.js';
export {
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  retryDelayMs,
  withRetry,
  type RetryOptions,
  type RetryPolicy,
  type SleepFunction,
} from './retry.js';
export {
  httpRetrySchema,
  httpSettingsSchema,
  retryPolicyOf,
  type HttpSettings,
} from './http-config.js';
