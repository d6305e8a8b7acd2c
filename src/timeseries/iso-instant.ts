import { DateTime } from 'luxon';
import { z } from 'zod';

import { describeValue } from '../config/fields.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 instant that names its zone (`2020-03-09T10:14:33Z`,
 * `2020-03-09T13:14:33+03:00`) into epoch ms. Returns an explanation for anything else.
 */
export function parseIsoInstant(text: string): { ms: number } | { problem: string } {
  const trimmed = text.trim();
  if (!ISO_INSTANT.test(trimmed)) {
    return {
      problem: `"${text}" is not an ISO 8601 instant with its zone, such as "2020-03-09T10:14:33Z" or "2020-03-09T13:14:33+03:00"`,
    };
  }
  const parsed = DateTime.fromISO(trimmed, { setZone: true });
  return parsed.isValid ? { ms: parsed.toMillis() } : { problem: `"${text}" is not a valid date` };
}

/**
 * A config field holding an ISO 8601 instant with its zone, as epoch ms. Also takes the date
 * YAML makes of an unquoted timestamp.
 */
export function isoInstantMs() {
  return z.unknown().transform((value, ctx): number => {
    if (value instanceof Date && Number.isFinite(value.getTime())) {
      return value.getTime();
    }
    if (typeof value !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `expected an ISO 8601 instant such as "2020-03-09T10:14:33Z", got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    const parsed = parseIsoInstant(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.ms;
  });
}

/** A config field holding an IANA time zone name such as `UTC` or `Europe/Oslo`. */
export function timeZoneName() {
  return z.string().refine((zone) => DateTime.now().setZone(zone).isValid, {
    error: (issue) =>
      `unknown time zone ${describeValue(issue.input)}; use an IANA name such as "UTC" or "Europe/Oslo"`,
  });
}
