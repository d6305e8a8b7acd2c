import { countOf } from '../util/plural.js';

/** Counts of the windows the embedded run works through. */
export interface ProgressCounts {
  /** Windows scheduled so far. */
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Slots scheduled so far (their windows are in `total`). */
  readonly slots?: number;
  /** Tasks that ran but are not part of the work counted (older tasks from the queue). */
  readonly older?: number;
}

const BAR_WIDTH = 30;

/**
 * A one-line progress bar. On a terminal it redraws in place; elsewhere (a log file, CI) it prints
 * a line at every tenth of the way, so output stays short.
 */
export class ProgressBar {
  private lastTenth = -1;
  private drawn = false;
  /** Length of the longest line drawn on the terminal so far. */
  private drawnWidth = 0;
  /** Slots the work will have when every one is scheduled, when known. */
  private dueSlots: number | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly label: string,
  ) {}

  /**
   * The number of slots to come. While they are still being scheduled, the total is then
   * estimated from the windows per slot so far (shown with `~`), instead of a total that grows
   * under a bar that keeps reaching 100%.
   */
  expectSlots(slots: number): void {
    this.dueSlots = slots;
  }

  update(counts: ProgressCounts): void {
    const done = counts.succeeded + counts.failed;
    const { total, estimated } = this.totalOf(counts);
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const older = counts.older ?? 0;
    const besides = older > 0 ? `; ${countOf(older, 'older task')} from the queue` : '';
    const line = `${this.label} ${renderBar(share)} ${done}/${estimated ? '~' : ''}${total} windows (${counts.failed} failed${besides})`;
    if (this.out.isTTY === true) {
      // Spaces cover what is left of a longer line drawn before (`20/~21` before `21/21`).
      this.out.write(`\r${line.padEnd(this.drawnWidth)}`);
      this.drawnWidth = Math.max(this.drawnWidth, line.length);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }

  private totalOf(counts: ProgressCounts): { total: number; estimated: boolean } {
    const { slots } = counts;
    const due = this.dueSlots;
    if (slots === undefined || due === undefined || slots === 0 || slots >= due) {
      return { total: counts.total, estimated: false };
    }
    return { total: Math.round((counts.total / slots) * due), estimated: true };
  }

  /** Ends the line of a terminal bar. */
  finish(): void {
    if (this.drawn) {
      this.out.write('\n');
      this.drawn = false;
      this.drawnWidth = 0;
    }
  }
}

export function renderBar(share: number): string {
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
}
