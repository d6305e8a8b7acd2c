/**
 * Timestamps as the Time Series API writes and reads them: RFC 3339 in UTC. Answers carry 3
 * fractional digits (older versions) or 7 (`2021-02-01T09:54:05.4200000Z`, later versions);
 * requests take `Z` with 0, 3 or 6 digits. Inside Latigo times are epoch milliseconds.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp with `Z` or an offset and 0 to 9 fractional digits into epoch
 * milliseconds. Digits below the millisecond are dropped (truncated, never rounded up into the
 * next millisecond). Undefined for anything else, including impossible dates such as 02-30.
 */
export function parseApiTime(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (match === null) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = match[7] ?? '';
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) {
    return undefined;
  }
  const sign = match[9] === '-' ? -1 : 1;
  const offsetHours = Number(match[10] ?? '0');
  const offsetMinutes = Number(match[11] ?? '0');
  if (offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** How many fractional second digits a written timestamp carries. */
export type FractionDigits = 0 | 3 | 7;

/**
 * Renders epoch milliseconds as RFC 3339 UTC with `Z`: `2020-05-30T10:10:00Z` (0 digits, only
 * for whole seconds; a sub-second instant gets 3 digits), `2020-05-30T10:10:00.000Z` (3) or
 * `2020-05-30T10:10:00.0000000Z` (7).
 */
export function formatApiTime(instantMs: number, digits: FractionDigits = 0): string {
  const iso = new Date(instantMs).toISOString();
  if (digits === 7) {
    return iso.replace(/\.(\d{3})Z$/, '.$10000Z');
  }
  if (digits === 0 && instantMs % 1000 === 0) {
    return iso.replace(/\.000Z$/, 'Z');
  }
  return iso;
}
