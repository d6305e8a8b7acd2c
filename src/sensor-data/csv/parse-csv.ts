import { DateTime } from 'luxon';

import { LatigoError } from '../../errors/index.js';

export interface ParseSensorCsvOptions {
  /** The file's name or path, used in error messages only. */
  readonly file: string;
  /** Field separator; when absent, `;` or `,`, whichever the header line has more of. */
  readonly delimiter?: string | undefined;
  /** Header name of the timestamp column. */
  readonly timestampColumn: string;
  /** IANA zone of timestamps without an offset; default `UTC`. */
  readonly timeZone?: string | undefined;
  /**
   * CSV column -> tag name. When absent, every numeric column (all non-empty cells are numbers,
   * at least one is) becomes a tag under its own header name; other columns are ignored.
   */
  readonly columns?: Readonly<Record<string, string>> | undefined;
}

/** The parsed file: `values[tagIndex][row]` is `tags[tagIndex]` at `timesMs[row]`. */
export interface ParsedSensorCsv {
  tags: string[];
  /** Ascending; rows with equal times keep their order in the file. */
  timesMs: number[];
  /** NaN where a cell was empty or `NaN`. */
  values: number[][];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a CSV file of sensor readings: a header line, then one row per timestamp. Accepts CRLF
 * and LF line endings, a UTF-8 byte order mark, blank lines, and double-quoted fields. Timestamps
 * are `YYYY-MM-DD hh:mm[:ss[.fff]]` or ISO 8601 with `T`, optionally with `Z` or an offset;
 * those without one are read in `timeZone`. Empty cells become NaN.
 *
 * Throws SENSOR_DATA_INVALID naming the file, line and column for a malformed header, a row with
 * the wrong number of fields, a bad timestamp, or a non-numeric cell of a mapped column.
 */
export function parseSensorCsv(text: string, options: ParseSensorCsvOptions): ParsedSensorCsv {
  const { file } = options;
  const timeZone = options.timeZone ?? 'UTC';
  if (!DateTime.now().setZone(timeZone).isValid) {
    throw invalid(file, `unknown time zone "${timeZone}"`, {});
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  if (headerLine.trim() === '') {
    throw invalid(file, 'line 1: the header line is empty', { line: 1 });
  }
  const delimiter = options.delimiter ?? detectDelimiter(headerLine);
  const header = splitFields(headerLine, delimiter, file, 1).map((name) => name.trim());
  checkUniqueHeader(header, file);

  const timestampIndex = columnIndex(header, options.timestampColumn, file, 'timestamp column');
  const selected = selectColumns(header, timestampIndex, options.columns, file);
  const strict = options.columns !== undefined;

  const timesMs: number[] = [];
  const columns = selected.map(() => [] as number[]);
  const numeric = selected.map(() => true);
  lines.slice(1).forEach((line, offset) => {
    const lineNumber = offset + 2;
    if (line.trim() === '') {
      return;
    }
    const fields = splitFields(line, delimiter, file, lineNumber);
    if (fields.length !== header.length) {
      throw invalid(
        file,
        `line ${lineNumber}: expected ${header.length} fields separated by "${delimiter}", found ${fields.length}`,
        { line: lineNumber },
      );
    }
    const timestamp = fields[timestampIndex] ?? '';
    timesMs.push(parseTimestamp(timestamp, timeZone, file, lineNumber, options.timestampColumn));
    selected.forEach((column, position) => {
      const cell = (fields[column.index] ?? '').trim();
      const value = parseCell(cell);
      if (value === undefined) {
        if (strict) {
          throw invalid(
            file,
            `line ${lineNumber}, column "${column.name}": "${cell}" is not a number`,
            { line: lineNumber, column: column.name },
          );
        }
        numeric[position] = false;
      }
      columns[position]?.push(value ?? Number.NaN);
    });
  });

  const kept = selected
    .map((column, position) => ({ column, values: columns[position] ?? [] }))
    .filter(
      ({ values }, position) =>
        strict || (numeric[position] === true && values.some((value) => !Number.isNaN(value))),
    );
  const order = timesMs
    .map((_time, row) => row)
    .sort((a, b) => (timesMs[a] ?? 0) - (timesMs[b] ?? 0));
  return {
    tags: kept.map(({ column }) => column.tag),
    timesMs: order.map((row) => timesMs[row] ?? Number.NaN),
    values: kept.map(({ values }) => order.map((row) => values[row] ?? Number.NaN)),
  };
}

interface SelectedColumn {
  readonly index: number;
  readonly name: string;
  readonly tag: string;
}

function selectColumns(
  header: readonly string[],
  timestampIndex: number,
  mapping: Readonly<Record<string, string>> | undefined,
  file: string,
): SelectedColumn[] {
  if (mapping === undefined) {
    return header
      .map((name, index) => ({ index, name, tag: name }))
      .filter((column) => column.index !== timestampIndex);
  }
  const seenTags = new Map<string, string>();
  return Object.entries(mapping).map(([name, tag]) => {
    const earlier = seenTags.get(tag);
    if (earlier !== undefined) {
      throw invalid(file, `columns "${earlier}" and "${name}" are both mapped to tag "${tag}"`, {
        column: name,
      });
    }
    seenTags.set(tag, name);
    return { index: columnIndex(header, name, file, 'mapped column'), name, tag };
  });
}

function columnIndex(header: readonly string[], name: string, file: string, role: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    throw invalid(
      file,
      `line 1: ${role} "${name}" is not in the header; columns are ${header.map((column) => `"${column}"`).join(', ')}`,
      { line: 1, column: name },
    );
  }
  return index;
}

function checkUniqueHeader(header: readonly string[], file: string): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw invalid(file, `line 1: column "${name}" appears twice in the header`, {
        line: 1,
        column: name,
      });
    }
    seen.add(name);
  }
}

function detectDelimiter(headerLine: string): string {
  const count = (character: string) => headerLine.split(character).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Splits one line into fields; a field in double quotes may hold the delimiter and `""`. */
function splitFields(line: string, delimiter: string, file: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < line.length) {
    const character = line[index] ?? '';
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
      index += 1;
    } else if (character === '"' && field.trim() === '') {
      quoted = true;
      field = '';
      index += 1;
    } else if (line.startsWith(delimiter, index)) {
      fields.push(field);
      field = '';
      index += delimiter.length;
    } else {
      field += character;
      index += 1;
    }
  }
  if (quoted) {
    throw invalid(file, `line ${lineNumber}: a quoted field is not closed`, { line: lineNumber });
  }
  fields.push(field);
  return fields;
}

/** A number, NaN for an empty or `NaN` cell, undefined for anything else. */
function parseCell(cell: string): number | undefined {
  if (cell === '' || cell.toLowerCase() === 'nan') {
    return Number.NaN;
  }
  return NUMBER.test(cell) ? Number(cell) : undefined;
}

function parseTimestamp(
  cell: string,
  timeZone: string,
  file: string,
  lineNumber: number,
  column: string,
): number {
  const trimmed = cell.trim();
  const parsed = TIMESTAMP.test(trimmed)
    ? DateTime.fromISO(trimmed.replace(' ', 'T'), { zone: timeZone })
    : undefined;
  if (parsed === undefined || !parsed.isValid) {
    throw invalid(
      file,
      `line ${lineNumber}, column "${column}": "${trimmed}" is not a timestamp such as "2020-03-09 10:14:33" or "2020-03-09T10:14:33Z"`,
      { line: lineNumber, column },
    );
  }
  return parsed.toMillis();
}

function invalid(
  file: string,
  problem: string,
  context: { line?: number; column?: string },
): LatigoError {
  return new LatigoError('SENSOR_DATA_INVALID', `${file}: ${problem}`, {
    context: { file, ...context },
  });
}
