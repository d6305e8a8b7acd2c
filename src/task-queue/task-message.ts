import { z } from 'zod';

import { nameProblem } from '../domain/names.js';
import type { Task } from '../domain/task.js';
import { isoUtc } from '../domain/time-range.js';
import { sha256Hex } from '../util/sha256.js';

/**
 * The wire format of a task on a message queue: UTF-8 JSON
 * `{"version":1,"id":"…","project":"…","model":"…","from":"2024-01-01T08:00:00Z","to":"…"}`.
 * `from` and `to` bound the half-open window in ISO 8601 UTC with whole seconds; `id` is
 * `taskId(project, model, window)`, so a consumer can tell a consistent message from a corrupt one.
 */
export const TASK_MESSAGE_VERSION = 1;

/** A sanity bound: no slot window is longer than a year. The executor applies its own max_window. */
export const MAX_TASK_WINDOW_MS = 366 * 86_400_000;

/** A project or model name: a string `nameProblem` of the domain finds nothing wrong with. */
const name = (field: string) =>
  z.string({ error: `${field} must be a string` }).superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: `${field} ${problem}` });
    }
  });

const boundary = (field: string) => z.string({ error: `${field} must be a string` });

const taskMessageSchema = z
  .object(
    {
      version: z.literal(TASK_MESSAGE_VERSION, {
        error: `version must be ${TASK_MESSAGE_VERSION}`,
      }),
      id: z.string({ error: 'id must be a string' }),
      project: name('project'),
      model: name('model'),
      from: boundary('from'),
      to: boundary('to'),
    },
    { error: 'the message is not a JSON object' },
  )
  .strict();

/** The decoded task, or why the message is not a task. */
export type DecodedTaskMessage =
  { readonly ok: true; readonly task: Task } | { readonly ok: false; readonly reason: string };

/** The JSON text of a task message. */
export function encodeTaskMessage(task: Task): string {
  return JSON.stringify({
    version: TASK_MESSAGE_VERSION,
    id: task.id,
    project: task.project,
    model: task.model,
    from: boundaryText(task.window.fromMs),
    to: boundaryText(task.window.toMs),
  });
}

/**
 * Reads a task message. Never throws: anything that is not a well-formed task of a slot window
 * (not JSON, missing or extra fields, wrong types, boundaries that are not whole-second UTC,
 * an empty, reversed or over-long window, an id that does not match the other fields) comes back
 * with the reason.
 */
export function decodeTaskMessage(text: string): DecodedTaskMessage {
  return readCanonical(text) ?? readGeneral(text);
}

/**
 * A task message exactly as `encodeTaskMessage` writes it, each field's value captured. A value
 * holds neither a quote nor a backslash, so it has no escapes and is the text JSON.parse reads.
 */
const CANONICAL = new RegExp(
  String.raw`^\{"version":${TASK_MESSAGE_VERSION},"id":"([^"\\]*)","project":"([^"\\]*)","model":"([^"\\]*)","from":"([^"\\]*)","to":"([^"\\]*)"\}$`,
);

/**
 * The task of a message in exactly the form `encodeTaskMessage` writes (every message a Latigo
 * scheduler publishes), read without JSON.parse, which cost more than everything else in
 * reading a message. Undefined for any other text, and for a message of that form with anything
 * wrong in it: `readGeneral` then reads it and says what is wrong, so a message gets the same
 * outcome on either path. Raw control characters, which JSON.parse refuses, fail the checks of
 * names, boundaries and id.
 */
function readCanonical(text: string): DecodedTaskMessage | undefined {
  const fields = CANONICAL.exec(text);
  if (fields === null) {
    return undefined;
  }
  const [, id, project, model, from, to] = fields as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isName(project) || !isName(model)) {
    return undefined;
  }
  const fromMs = parseBoundary(from);
  const toMs = parseBoundary(to);
  if (
    fromMs === undefined ||
    toMs === undefined ||
    fromMs < 0 ||
    toMs <= fromMs ||
    toMs - fromMs > MAX_TASK_WINDOW_MS ||
    id !== idOf(project, model, from, to)
  ) {
    return undefined;
  }
  return { ok: true, task: { id, project, model, window: { fromMs, toMs } } };
}

/** Any text: JSON.parse, then the checks, saying what is wrong with it. */
function readGeneral(text: string): DecodedTaskMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not JSON: ${detail}` };
  }

  // The schema, the authority, only runs on messages the quick check refuses (to say what is
  // wrong with them): it cost as much as the rest of reading a message.
  let message: TaskMessageFields;
  if (isWellFormed(json)) {
    message = json;
  } else {
    const parsed = taskMessageSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
      return { ok: false, reason: parsed.error.issues.map(describeIssue).join('; ') };
    }
    message = parsed.data;
  }

  const fromMs = parseBoundary(message.from);
  const toMs = parseBoundary(message.to);
  if (fromMs === undefined || toMs === undefined) {
    const badBoundaries = [
      fromMs === undefined ? `from "${clip(message.from)}"` : undefined,
      toMs === undefined ? `to "${clip(message.to)}"` : undefined,
    ].filter((part) => part !== undefined);
    return {
      ok: false,
      reason: `${badBoundaries.join(' and ')}: expected ISO 8601 UTC with whole seconds, like 2024-01-01T08:00:00Z`,
    };
  }
  if (fromMs < 0) {
    return {
      ok: false,
      reason: `the window [${message.from}, ${message.to}) starts before 1970, where no slot grid reaches`,
    };
  }
  if (toMs <= fromMs) {
    return {
      ok: false,
      reason: `the window [${message.from}, ${message.to}) is empty or reversed`,
    };
  }
  if (toMs - fromMs > MAX_TASK_WINDOW_MS) {
    return {
      ok: false,
      reason: `the window [${message.from}, ${message.to}) is longer than a year`,
    };
  }

  const window = { fromMs, toMs };
  const expectedId = idOf(message.project, message.model, message.from, message.to);
  if (message.id !== expectedId) {
    return {
      ok: false,
      reason: `id "${clip(message.id)}" does not match project, model and window (expected ${expectedId})`,
    };
  }
  return {
    ok: true,
    task: { id: message.id, project: message.project, model: message.model, window },
  };
}

/**
 * `taskId` of the domain, computed from boundaries already in text form: sha256 of project,
 * model, from and to joined by newlines, first 32 hex characters. The unit tests hold the two
 * equal.
 */
function idOf(project: string, model: string, from: string, to: string): string {
  return sha256Hex(`${project}\n${model}\n${from}\n${to}`).slice(0, 32);
}

type TaskMessageFields = z.output<typeof taskMessageSchema>;

const FIELD_COUNT = 6;

/** What the schema accepts, checked by hand. */
function isWellFormed(json: unknown): json is TaskMessageFields {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return false;
  }
  const message = json as Record<string, unknown>;
  let fields = 0;
  for (const key in message) {
    if (!Object.hasOwn(message, key)) {
      continue;
    }
    fields += 1;
  }
  return (
    fields === FIELD_COUNT &&
    message['version'] === TASK_MESSAGE_VERSION &&
    typeof message['id'] === 'string' &&
    isName(message['project']) &&
    isName(message['model']) &&
    typeof message['from'] === 'string' &&
    typeof message['to'] === 'string'
  );
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && nameProblem(value) === undefined;
}

const ISO_UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The tasks of a slot share one window, so the last few boundaries are remembered in both
 * directions: formatting and parsing dates is most of the cost of a task message otherwise.
 */
const REMEMBERED_BOUNDARIES = 16;
const formattedBoundaries = new Map<number, string>();
const parsedBoundaries = new Map<string, number | undefined>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= REMEMBERED_BOUNDARIES) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) {
      cache.delete(oldest.value);
    }
  }
  cache.set(key, value);
  return value;
}

function boundaryText(ms: number): string {
  return formattedBoundaries.get(ms) ?? remember(formattedBoundaries, ms, isoUtc(ms));
}

/**
 * A window boundary: ISO 8601 UTC with whole seconds and `Z`, a real calendar instant (what
 * `parseIsoUtcSeconds` of the domain accepts). The text must print back exactly as it was
 * read, which rules out days and hours that `Date` would roll over.
 */
function parseBoundary(text: string): number | undefined {
  // A slot's messages repeat the same two boundaries: comparing with them is cheaper than
  // hashing the text for the map.
  if (text === lastBoundaries[0].text) {
    return lastBoundaries[0].ms;
  }
  if (text === lastBoundaries[1].text) {
    return lastBoundaries[1].ms;
  }
  let ms: number | undefined;
  if (parsedBoundaries.has(text)) {
    ms = parsedBoundaries.get(text);
  } else if (ISO_UTC_SECONDS.test(text)) {
    const parsed = Date.parse(text);
    ms = remember(
      parsedBoundaries,
      text,
      Number.isFinite(parsed) && isoUtc(parsed) === text ? parsed : undefined,
    );
  }
  if (ms !== undefined) {
    lastBoundaries[1] = lastBoundaries[0];
    lastBoundaries[0] = { text, ms };
  }
  return ms;
}

/** The last two valid boundaries read, newest first. */
const lastBoundaries: [ParsedBoundary, ParsedBoundary] = [
  { text: '', ms: undefined },
  { text: '', ms: undefined },
];

interface ParsedBoundary {
  readonly text: string;
  readonly ms: number | undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  }
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined && field !== '') {
    return `${field} is missing`;
  }
  return issue.message;
}

/** Keeps quoted input short in reasons. */
function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
