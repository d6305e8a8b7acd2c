/** Counts of the windows the embedded run works through. */
export interface ProgressCounts {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
}

const BAR_WIDTH = 30;

/**
 * A one-line progress bar. On a terminal it redraws in place; elsewhere (a log file, CI) it prints
 * a line at every tenth of the way, so output stays short.
 */
export class ProgressBar {
  private lastTenth = -1;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly label: string,
  ) {}

  update(counts: ProgressCounts): void {
    const done = counts.succeeded + counts.failed;
    const share = counts.total === 0 ? 1 : Math.min(1, done / counts.total);
    const line = `${this.label} ${renderBar(share)} ${done}/${counts.total} windows (${counts.failed} failed)`;
    if (this.out.isTTY === true) {
      this.out.write(`\r${line}`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }

  /** Ends the line of a terminal bar. */
  finish(): void {
    if (this.drawn) {
      this.out.write('\n');
      this.drawn = false;
    }
  }
}

export function renderBar(share: number): string {
  const filled = Math.round(share * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
}
