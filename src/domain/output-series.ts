import { LatigoError } from '../errors/index.js';
import { isTotalGroup, type PredictionColumn } from './prediction.js';

/** Groups that are inputs or row labels, never stored as output series. */
export const NOT_STORED_GROUPS: ReadonlySet<string> = new Set(['start', 'end', 'model-input']);

const SEPARATOR = '|';

function cleanPart(part: string): string {
  return part.split(SEPARATOR).join('-');
}

/**
 * The output series name of one prediction column: `<tag>|<model>|<group>`. Total groups have no
 * tag; their tag part is `<facility>.INDICATOR`. A `|` inside a part becomes `-`.
 */
export function outputSeriesName(
  column: Pick<PredictionColumn, 'group' | 'tag'>,
  model: string,
  facility: string,
): string {
  if (model === '') {
    throw new LatigoError('STORAGE_FAILED', 'the model name of an output series must not be empty');
  }
  const tagPart =
    column.tag === undefined || column.tag === '' ? `${facility}.INDICATOR` : column.tag;
  return [cleanPart(tagPart), cleanPart(model), cleanPart(column.group)].join(SEPARATOR);
}

/** The description of an output series: `Gordo <group> - <tag>` (empty tag for totals). */
export function outputSeriesDescription(column: Pick<PredictionColumn, 'group' | 'tag'>): string {
  return `Gordo ${column.group} - ${column.tag ?? ''}`;
}

/** `derived` for per-tag columns, `aggregated` for totals (metadata API `type`). */
export function outputSeriesType(
  column: Pick<PredictionColumn, 'group' | 'tag'>,
): 'derived' | 'aggregated' {
  return isTotalGroup(column.group) || column.tag === undefined || column.tag === ''
    ? 'aggregated'
    : 'derived';
}

/** Whether a column is written to prediction storage. */
export function isStoredColumn(column: Pick<PredictionColumn, 'group'>): boolean {
  return !NOT_STORED_GROUPS.has(column.group);
}
