/**
 * Stable error codes. Grouped by the part of Latigo that raises them; a code never changes its
 * meaning once released.
 */
export const ERROR_CODES = [
  // configuration and start-up
  'CONFIG_INVALID',
  'CONFIG_FILE_UNREADABLE',
  'UNKNOWN_PROVIDER_TYPE',
  'STARTUP_CHECK_FAILED',
  // tasks
  'TASK_INVALID',
  'TASK_TIMEOUT',
  'TASK_ABORTED',
  // task queue
  'QUEUE_UNAVAILABLE',
  'QUEUE_TOPIC_MISSING',
  'QUEUE_SEND_FAILED',
  'QUEUE_CLOSED',
  // models and data
  'MODEL_NOT_FOUND',
  'NAME_INVALID',
  'MODEL_REVISION_GONE',
  'MODEL_METADATA_INVALID',
  'MODEL_TRAINING_FAILED',
  'SENSOR_DATA_MISSING',
  'SENSOR_DATA_INVALID',
  'PREDICTION_FAILED',
  'PREDICTION_INVALID',
  'STORAGE_FAILED',
  'METADATA_FAILED',
  // HTTP and auth
  'HTTP_NETWORK',
  'HTTP_TIMEOUT',
  'HTTP_STATUS',
  'HTTP_THROTTLED',
  'HTTP_BAD_RESPONSE',
  'AUTH_FAILED',
  // anything else
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
