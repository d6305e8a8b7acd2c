import type { IHeaders, Message } from 'kafkajs';

import type { LatigoError } from '../../errors/index.js';
import { taskKey, type Task } from '../../domain/task.js';
import { isoUtc } from '../../domain/time-range.js';

/** Version of the dead-letter record format. */
export const DEAD_LETTER_VERSION = 1;

/** At most this much of a malformed message's value is copied into its dead-letter record. */
export const MAX_COPIED_VALUE_BYTES = 8_192;

export const DEAD_LETTER_HEADERS = {
  reason: 'latigo-dead-letter-reason',
  errorCode: 'latigo-error-code',
  taskId: 'latigo-task-id',
} as const;

/** Where a dead-lettered message was read. */
export interface SourcePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** Broker timestamp of the original message, epoch ms. */
  readonly timestampMs: number;
}

/**
 * One record of the dead-letter topic, as JSON:
 * - `reason`: `failed` (an executor gave the task up) or `malformed` (not a task message);
 * - `error`: `code`, `message`, and for failed tasks `attempts`;
 * - `task`: the task, for failed tasks;
 * - `source`: topic, partition, offset, key and timestamp of the original message;
 * - `value`, `valueBytes`, `valueTruncated`: the original text, for malformed messages.
 */
export interface DeadLetterRecord {
  readonly version: number;
  readonly reason: 'failed' | 'malformed';
  readonly deadLetteredAt: string;
  readonly error: { readonly code: string; readonly message: string; readonly attempts?: number };
  readonly task?: {
    readonly id: string;
    readonly project: string;
    readonly model: string;
    readonly from: string;
    readonly to: string;
  };
  readonly source: {
    readonly topic: string;
    readonly partition: number;
    readonly offset: string;
    readonly key: string | null;
    readonly timestamp: string | null;
  };
  readonly value?: string;
  readonly valueBytes?: number;
  readonly valueTruncated?: boolean;
}

/** The dead-letter message of a task an executor gave up on. */
export function failedTaskLetter(
  task: Task,
  error: LatigoError,
  attempts: number,
  source: SourcePosition,
  nowMs: number,
): Message {
  const record: DeadLetterRecord = {
    version: DEAD_LETTER_VERSION,
    reason: 'failed',
    deadLetteredAt: new Date(nowMs).toISOString(),
    error: { code: error.code, message: error.message, attempts },
    task: {
      id: task.id,
      project: task.project,
      model: task.model,
      from: isoUtc(task.window.fromMs),
      to: isoUtc(task.window.toMs),
    },
    source: sourceOf(source),
  };
  return {
    key: source.key ?? taskKey(task),
    value: JSON.stringify(record),
    headers: headers('failed', error.code, task.id),
  };
}

/**
 * The dead-letter message of something on the task topic that is not a task. Up to
 * `maxCopiedBytes` of its value are copied (as UTF-8 text, invalid bytes replaced).
 */
export function malformedLetter(
  reason: string,
  value: Buffer | null,
  source: SourcePosition,
  nowMs: number,
  maxCopiedBytes = MAX_COPIED_VALUE_BYTES,
): Message {
  const truncated = value !== null && value.length > maxCopiedBytes;
  const text = value === null ? '' : value.subarray(0, maxCopiedBytes).toString('utf8');
  const record: DeadLetterRecord = {
    version: DEAD_LETTER_VERSION,
    reason: 'malformed',
    deadLetteredAt: new Date(nowMs).toISOString(),
    error: { code: 'TASK_INVALID', message: reason },
    source: sourceOf(source),
    value: text,
    valueBytes: value?.length ?? 0,
    valueTruncated: truncated,
  };
  return {
    key: source.key,
    value: JSON.stringify(record),
    headers: headers('malformed', 'TASK_INVALID'),
  };
}

function sourceOf(source: SourcePosition): DeadLetterRecord['source'] {
  return {
    topic: source.topic,
    partition: source.partition,
    offset: source.offset,
    key: source.key,
    timestamp: Number.isFinite(source.timestampMs)
      ? new Date(source.timestampMs).toISOString()
      : null,
  };
}

function headers(reason: DeadLetterRecord['reason'], code: string, taskId?: string): IHeaders {
  return {
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.errorCode]: code,
    ...(taskId === undefined ? {} : { [DEAD_LETTER_HEADERS.taskId]: taskId }),
  };
}
