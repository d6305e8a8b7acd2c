const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;

/** Units a duration may use, for error messages. */
export const DURATION_UNITS = Object.keys(UNIT_MS);

/**
 * Parses a duration such as `30m`, `3h`, `7d`, `1d12h` or `500ms` into milliseconds.
 * Returns an explanation instead when the text is not a positive duration.
 */
export function parseDuration(text: string): { ms: number } | { problem: string } {
  const compact = text.trim();
  if (compact.startsWith('-')) {
    return { problem: `negative duration "${text}" is not allowed` };
  }
  if (!DURATION.test(compact)) {
    return {
      problem: `"${text}" is not a duration: use whole numbers with units ${DURATION_UNITS.join(', ')}, e.g. "30m" or "1d12h"`,
    };
  }
  let total = 0;
  for (const match of compact.matchAll(PART)) {
    const [, amount, unit] = match;
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
  }
  if (!Number.isSafeInteger(total)) {
    return { problem: `duration "${text}" is too large` };
  }
  if (total <= 0) {
    return { problem: `duration "${text}" must be longer than zero` };
  }
  return { ms: total };
}

/** Renders milliseconds as the shortest duration text that parses back to the same value. */
export function formatDuration(ms: number): string {
  if (ms <= 0) {
    return '0s';
  }
  const units: readonly [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ];
  let rest = ms;
  let text = '';
  for (const [unit, size] of units) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}
