/**
 * Timestamps on the Gordo wire. Index keys come as pandas writes them (`2024-01-01 00:10:00+00:00`,
 * or `2020-03-10` for tz-naive midnights); `start`/`end` values come in ISO form
 * (`2024-01-01T00:10:00+00:00`). Times without a zone are taken as UTC.
 */

const GORDO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses either spelling into epoch milliseconds; undefined when the text is not a timestamp. */
export function parseGordoTimestamp(text: string): number | undefined {
  const match = GORDO_TIMESTAMP.exec(text.trim());
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const wallMs = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? '0'),
    Number(minute ?? '0'),
    Number(second ?? '0'),
    Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
  );
  const check = new Date(wallMs);
  if (
    Number.isNaN(wallMs) ||
    check.getUTCDate() !== Number(day) ||
    check.getUTCMonth() !== Number(month) - 1
  ) {
    return undefined;
  }
  return wallMs - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') {
    return 0;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * The pandas string form of a UTC timestamp, as gordo-client writes request index keys and the
 * server writes response index keys: `YYYY-MM-DD HH:MM:SS+00:00`, with `.ffffff` only when the
 * sub-second part is not zero.
 */
export function formatPandasTimestamp(instantMs: number): string {
  const date = new Date(instantMs);
  const day = `${date.getUTCFullYear()}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}`;
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis * 1000).padStart(6, '0')}`;
  return `${day} ${time}${fraction}+00:00`;
}

/** The ISO form the server writes into `start`/`end` values: `YYYY-MM-DDTHH:MM:SS+00:00`. */
export function formatIsoTimestamp(instantMs: number): string {
  return formatPandasTimestamp(instantMs).replace(' ', 'T');
}
