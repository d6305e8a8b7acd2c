import { z } from 'zod';

import { nameProblem, quoteName } from '../domain/names.js';
import { MAX_TIMER_MS } from '../util/timers.js';
import { formatDuration, parseDuration } from './duration.js';

/**
 * zod field builders shared by every config section. Each documents its unit; durations come out
 * as milliseconds.
 */

/** What `durationMs` accepts. */
export interface DurationOptions {
  /**
   * The longest duration accepted. Default: the longest delay Node.js timers can wait, for the
   * durations that end up in a timer; pass `Number.MAX_SAFE_INTEGER` for those that never do
   * (a span of data, a cache age).
   */
  readonly max?: number;
  /** The shortest duration accepted. Default: 0. */
  readonly min?: number;
  /** Only whole seconds (slot intervals and delays). */
  readonly wholeSeconds?: boolean;
}

/** A duration text (`30m`, `1d12h`) parsed into milliseconds. */
export function durationMs(options: DurationOptions = {}) {
  const max = options.max ?? MAX_TIMER_MS;
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration text such as "30m" or "1d12h", got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    const parsed = parseDuration(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    if (parsed.ms > max) {
      const why = max === MAX_TIMER_MS ? ' (the longest a Node.js timer can wait)' : '';
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${formatDuration(max)}${why}, got "${value}"`,
      });
      return z.NEVER;
    }
    if (parsed.ms < (options.min ?? 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at least ${formatDuration(options.min ?? 0)}, got "${value}"`,
      });
      return z.NEVER;
    }
    if (options.wholeSeconds === true && parsed.ms % 1000 !== 0) {
      ctx.addIssue({ code: 'custom', message: `must be whole seconds, got "${value}"` });
      return z.NEVER;
    }
    return parsed.ms;
  });
}

/**
 * A boolean. YAML true/false, or exactly the strings "true"/"false" (as they come from the
 * environment). Anything else, "no", "off", "0" or 1 included, is rejected.
 */
export function booleanFlag() {
  return z.unknown().transform((value, ctx): boolean => {
    if (typeof value === 'boolean') {
      return value;
    }
    if (value === 'true' || value === 'false') {
      return value === 'true';
    }
    ctx.addIssue({
      code: 'custom',
      message: `expected true or false, got ${describeValue(value)}`,
    });
    return z.NEVER;
  });
}

/** A whole number, from YAML or a numeric string (environment). */
export function integer(options: { min?: number; max?: number } = {}) {
  return z.unknown().transform((value, ctx): number => {
    const number =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^-?\d+$/.test(value.trim())
          ? Number(value)
          : Number.NaN;
    if (!Number.isSafeInteger(number)) {
      const tooLarge =
        Number.isInteger(number) || (typeof value === 'string' && !Number.isNaN(number));
      ctx.addIssue({
        code: 'custom',
        message:
          tooLarge && options.max !== undefined
            ? `must be at most ${options.max}, got ${typeof value === 'string' ? value.trim() : String(value)}`
            : `expected a whole number, got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    if (options.min !== undefined && number < options.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${options.min}, got ${number}` });
      return z.NEVER;
    }
    if (options.max !== undefined && number > options.max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${options.max}, got ${number}` });
      return z.NEVER;
    }
    return number;
  });
}

/** A time of day, quoted `"HH:MM"`, as minutes after midnight. */
export function timeOfDayMinutes() {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value === 'number' || value instanceof Date) {
      ctx.addIssue({
        code: 'custom',
        message: `YAML read this as a ${value instanceof Date ? 'date' : 'number'}, not a time of day: quote it, e.g. "08:00"`,
      });
      return z.NEVER;
    }
    const match = typeof value === 'string' ? /^(\d{2}):(\d{2})$/.exec(value) : null;
    const hours = Number(match?.[1]);
    const minutes = Number(match?.[2]);
    if (match === null || hours > 23 || minutes > 59) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a quoted time of day "HH:MM" (00:00 to 23:59), got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    return hours * 60 + minutes;
  });
}

/** A non-empty string. */
export function text() {
  return z.string({ error: (issue) => `expected text, got ${describeValue(issue.input)}` }).min(1, {
    error: 'must not be empty',
  });
}

/** A URL with http or https scheme. */
export function httpUrl() {
  return text()
    .refine((value) => /^https?:\/\/[^\s/]+/.test(value), {
      error: 'expected an http:// or https:// URL',
    })
    .refine((value) => !hasUserInfo(value), { error: CREDENTIALS_IN_URL });
}

/** Why a URL with `user:password@` is refused: it would be printed and logged with the URL. */
export const CREDENTIALS_IN_URL =
  'must not carry credentials (user:password@); put them in the auth section or the environment';

/** Whether an http(s) URL carries `user[:password]@` before its host. */
export function hasUserInfo(url: string): boolean {
  return /^https?:\/\/[^/?#]*@/.test(url);
}

/**
 * A text as error messages may quote it: in quotes, clipped when long, and not at all when it
 * has the shape of something secret, because a secret put under the wrong key (an Event Hubs
 * connection string in the brokers variable, say) must not come out in the complaint about it.
 */
export function quotedText(text: string): string {
  if (looksSecret(text)) {
    return `a text of ${text.length} characters that looks like a connection string or credentials (not shown)`;
  }
  return text.length > 80 ? `"${text.slice(0, 80)}…"` : `"${text}"`;
}

/** `key=value;` pairs (connection strings), a URL with a user in it, or a credential's name. */
function looksSecret(text: string): boolean {
  return (
    /[=;]/.test(text) || /:\/\/[^/\s]*@/.test(text) || /secret|password|token|sig=/i.test(text)
  );
}

export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  if (value instanceof Date) {
    return `a date (${value.toISOString()})`;
  }
  if (typeof value === 'string') {
    return quotedText(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  return Array.isArray(value) ? 'a list' : 'a map';
}

/** A project name: what tasks and URL paths can carry (see `nameProblem`). */
export function projectName() {
  return z.string().superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: `project name ${quoteName(value)} ${problem}` });
    }
  });
}
