import {
  TAG_GROUPS,
  TOTAL_GROUPS,
  isTotalGroup,
  type OutputGroup,
  type PredictionColumn,
} from '../../domain/prediction.js';
import { LatigoError } from '../../errors/index.js';
import type { PredictionTable } from './schemas.js';
import { parseGordoTimestamp } from './timestamps.js';

/** Groups that label rows rather than carry values. */
const ROW_LABEL_GROUPS: ReadonlySet<string> = new Set(['start', 'end']);
const OUTPUT_GROUPS: readonly OutputGroup[] = [...TAG_GROUPS, ...TOTAL_GROUPS];

/**
 * Values of a prediction keyed by column and row instant, filled from one or more result tables
 * (one per batch), then laid out as rows in time order.
 */
export class PredictionCells {
  private readonly cells = new Map<
    string,
    { group: OutputGroup; tag?: string; byTime: Map<number, number> }
  >();
  private readonly skipped = new Set<string>();

  /** Groups the server sent that Latigo does not store (e.g. `smooth-*`), for logs. */
  get skippedGroups(): readonly string[] {
    return [...this.skipped].sort();
  }

  /**
   * Adds one `data` table (gordo.md §5.1). Rows are found by their index key, read in either
   * timestamp spelling; when a key is no timestamp (a server given rows without times), the row's
   * `start` value is used. Values that are null or not finite are kept as NaN. Throws
   * PREDICTION_INVALID naming `where` and the key when a row has no readable time or a value is
   * not a number.
   */
  add(table: PredictionTable, where: string): void {
    const startLabels = table['start']?.['start'] ?? {};
    const timeOf = new Map<string, number>();
    const rowTime = (key: string): number => {
      const known = timeOf.get(key);
      if (known !== undefined) {
        return known;
      }
      const label = startLabels[key];
      const parsed =
        parseGordoTimestamp(key) ??
        (typeof label === 'string' ? parseGordoTimestamp(label) : undefined);
      if (parsed === undefined) {
        throw new LatigoError(
          'PREDICTION_INVALID',
          `${where}: result row "${key}" has no readable timestamp (neither its key nor its start value)`,
          { context: { key } },
        );
      }
      timeOf.set(key, parsed);
      return parsed;
    };

    for (const [group, columns] of Object.entries(table)) {
      if (ROW_LABEL_GROUPS.has(group)) {
        continue;
      }
      if (!isOutputGroup(group)) {
        this.skipped.add(group);
        continue;
      }
      for (const [name, values] of Object.entries(columns)) {
        const tag = isTotalGroup(group) ? undefined : name;
        const cell = this.cell(group, tag);
        for (const [key, value] of Object.entries(values)) {
          if (typeof value === 'string') {
            throw new LatigoError(
              'PREDICTION_INVALID',
              `${where}: value of ${group}/${name} at "${key}" is text, not a number`,
              { context: { group, key } },
            );
          }
          const timeMs = rowTime(key);
          const before = cell.byTime.get(timeMs);
          if (before === undefined || Number.isNaN(before)) {
            cell.byTime.set(timeMs, value ?? Number.NaN);
          }
        }
      }
    }
  }

  /**
   * Rows in time order and columns in a stable order: groups as in the domain's list, tags of
   * `model-input` in input-tag order, other per-tag groups in target-tag order, unknown names
   * after them. A cell no table filled is NaN.
   */
  toRows(
    inputTags: readonly string[],
    targetTags: readonly string[],
  ): {
    timesMs: number[];
    columns: PredictionColumn[];
    nonFiniteCount: number;
  } {
    const times = new Set<number>();
    for (const cell of this.cells.values()) {
      for (const time of cell.byTime.keys()) {
        times.add(time);
      }
    }
    const timesMs = [...times].sort((a, b) => a - b);
    const ordered = [...this.cells.values()].sort(
      (a, b) =>
        OUTPUT_GROUPS.indexOf(a.group) - OUTPUT_GROUPS.indexOf(b.group) ||
        tagRank(a, inputTags, targetTags) - tagRank(b, inputTags, targetTags),
    );
    let nonFiniteCount = 0;
    const columns = ordered.map((cell): PredictionColumn => {
      const values = timesMs.map((time) => cell.byTime.get(time) ?? Number.NaN);
      nonFiniteCount += values.filter((value) => !Number.isFinite(value)).length;
      return cell.tag === undefined
        ? { group: cell.group, values }
        : { group: cell.group, tag: cell.tag, values };
    });
    return { timesMs, columns, nonFiniteCount };
  }

  private cell(
    group: OutputGroup,
    tag: string | undefined,
  ): { group: OutputGroup; tag?: string; byTime: Map<number, number> } {
    const key = `${group}\u0000${tag ?? ''}`;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = tag === undefined ? { group, byTime: new Map() } : { group, tag, byTime: new Map() };
      this.cells.set(key, cell);
    }
    return cell;
  }
}

function isOutputGroup(group: string): group is OutputGroup {
  return (OUTPUT_GROUPS as readonly string[]).includes(group);
}

/** Position of a column's tag in the model's order; unknown tags sort after known ones. */
function tagRank(
  cell: { group: OutputGroup; tag?: string },
  inputTags: readonly string[],
  targetTags: readonly string[],
): number {
  if (cell.tag === undefined) {
    return 0;
  }
  const order = cell.group === 'model-input' ? inputTags : targetTags;
  const index = order.indexOf(cell.tag);
  return index >= 0 ? index : order.length;
}
