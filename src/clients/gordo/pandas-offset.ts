/**
 * Pandas offset aliases as Gordo writes them in model metadata (`resolution: "10T"`,
 * `interpolation_limit: "48H"`), turned into milliseconds. Only fixed-length units are accepted;
 * calendar offsets (month, year, business day) have no fixed length and are refused.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  N: 0.000_001,
  ns: 0.000_001,
  U: 0.001,
  us: 0.001,
  L: 1,
  ms: 1,
  S: 1_000,
  s: 1_000,
  sec: 1_000,
  T: 60_000,
  min: 60_000,
  H: 3_600_000,
  h: 3_600_000,
  D: 86_400_000,
  d: 86_400_000,
};

const PART_SOURCE = String.raw`(\d+(?:\.\d+)?)?\s*([A-Za-z]+)`;

/** The aliases accepted, for error messages. */
export const PANDAS_OFFSET_UNITS = Object.keys(UNIT_MS);

/**
 * Parses `10T`, `10min`, `1H`, `30S`, `5s`, `T` (one minute) or `1H30T` into milliseconds.
 * Returns an explanation instead when the text is not a positive whole number of milliseconds
 * in the units above.
 */
export function parsePandasOffset(text: string): { ms: number } | { problem: string } {
  const compact = text.trim();
  if (compact === '') {
    return { problem: 'an empty text is not a pandas offset alias' };
  }
  const part = new RegExp(PART_SOURCE, 'y');
  let total = 0;
  while (part.lastIndex < compact.length) {
    const match = part.exec(compact);
    const unitMs = match === null ? undefined : UNIT_MS[match[2] ?? ''];
    if (match === null || unitMs === undefined) {
      return {
        problem: `"${text}" is not a fixed-length pandas offset alias: use a number and one of ${PANDAS_OFFSET_UNITS.join(', ')}, e.g. "10T" or "1H"`,
      };
    }
    total += Number(match[1] ?? '1') * unitMs;
  }
  const ms = Math.round(total);
  if (ms <= 0 || Math.abs(ms - total) > 1e-6) {
    return { problem: `"${text}" must be a positive whole number of milliseconds` };
  }
  return { ms };
}
