import { formatRange, type TimeRange } from '../domain/time-range.js';
import { describeError } from '../errors/index.js';
import type { TaskReport } from '../executor/executor.js';
import type { TaskResult } from '../executor/run-task.js';
import type { SlotReport } from '../scheduler/scheduler.js';
import { slotAfter, slotAtOrBefore, windowOfSlot, type SlotGrid } from '../scheduler/slots.js';

/**
 * How a finished task counts in a run that schedules and executes in one process, told by its
 * id (ids are derived from project, model and window, so the same window has the same id):
 *
 * - `scheduled`: the first report of a task this run scheduled, a window done or failed;
 * - `older`: a task this run did not schedule, e.g. work an earlier run or another scheduler
 *   left in the queue;
 * - `repeated`: a task already reported, reported again (at-least-once redelivery).
 */
export type TaskOrigin = 'scheduled' | 'older' | 'repeated';

/** A task report that ends the task: succeeded or given up. */
export type FinishedTaskReport = Exclude<TaskReport, { status: 'released' }>;

export interface TallyCounts {
  /** Distinct tasks this run scheduled so far. */
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Slots scheduled so far. */
  readonly slots: number;
  /** What the succeeded tasks stored. */
  readonly rows: number;
  readonly points: number;
  readonly skipped: number;
  /** Tasks that ran but that this run did not schedule (older tasks from the queue). */
  readonly older: number;
  /** How many of `older` failed. */
  readonly olderFailed: number;
  /** Reports of a task already counted, not counted again. */
  readonly repeated: number;
}

/** Counts before anything was scheduled or ran. */
export function emptyCounts(): TallyCounts {
  return {
    total: 0,
    succeeded: 0,
    failed: 0,
    slots: 0,
    rows: 0,
    points: 0,
    skipped: 0,
    older: 0,
    olderFailed: 0,
    repeated: 0,
  };
}

/**
 * Ids of counted tasks remembered to recognise a repeat. The oldest are forgotten beyond this:
 * a very late repeat of one is then counted as an older task, never as a second window.
 */
const DONE_IDS_KEPT = 100_000;

/** Failures of scheduled tasks kept for the summary. */
const FAILURES_KEPT = 10;

/**
 * Counts the tasks a run scheduled, by task id, apart from whatever else the executor took from
 * the queue. Memory: one id per scheduled task not yet finished, at most `DONE_IDS_KEPT` ids of
 * finished ones, and the held reports (below).
 *
 * The executor can finish a task before the scheduler's publication of its slot returns, and a
 * queue may hold an older copy of a task that this run schedules too (an earlier run's back-fill
 * of the same windows: same window, same id). A report of an unknown id whose window this run
 * may still schedule (a slot of the catch-up not reported yet, or the next slot) is therefore
 * held, and counted when its slot is reported: as that slot's window when the slot has its id,
 * else as older. So a window counts once it ran during this run, whichever copy ran it.
 */
export class TaskTally {
  private readonly values: { -readonly [K in keyof TallyCounts]: number } = emptyCounts();
  /** The first failures of scheduled tasks, for the summary, with their ids. */
  private readonly failureTexts: { readonly id: string; readonly text: string }[] = [];
  /** Ids counted as failed: a later success of the same window counts it as done instead. */
  private readonly failedIds = new Set<string>();
  /** Ids this run scheduled that have not finished. */
  private readonly expected = new Set<string>();
  /** Ids counted, oldest first. */
  private readonly done = new Set<string>();
  /**
   * Reports of not (yet) scheduled ids whose window may still be scheduled, by id: at most one
   * per task of the queue in the catch-up's windows.
   */
  private readonly held = new Map<string, FinishedTaskReport>();
  /** The window of the next slot to be scheduled: earlier windows are never scheduled again. */
  private nextWindow: TimeRange;
  /** Start of the catch-up's last window. */
  private readonly catchUpEndFromMs: number;

  /**
   * @param startingPointMs the slot up to which everything counts as scheduled: the first slot
   *   this run schedules comes after it.
   * @param catchUpUntilMs the catch-up schedules the slots up to this instant (now).
   * @param onFinished called once for every finished task, when its origin is known.
   */
  constructor(
    private readonly grid: SlotGrid,
    startingPointMs: number,
    catchUpUntilMs: number,
    private readonly onFinished: (report: FinishedTaskReport, origin: TaskOrigin) => void,
  ) {
    this.nextWindow = windowOfSlot(grid, slotAfter(grid, startingPointMs));
    this.catchUpEndFromMs = windowOfSlot(grid, slotAtOrBefore(grid, catchUpUntilMs)).fromMs;
  }

  get counts(): TallyCounts {
    return { ...this.values };
  }

  /** Up to ten failures of scheduled tasks: model, window and reason. */
  get failures(): readonly string[] {
    return this.failureTexts.map((failure) => failure.text);
  }

  /** Scheduled tasks not finished yet. */
  get outstanding(): number {
    return this.expected.size;
  }

  /** Reports held until their slot is reported (or no slot comes any more). */
  get heldReports(): number {
    return this.held.size;
  }

  /** A slot was delivered: its tasks count from now on, and held reports are settled. */
  slotScheduled(report: SlotReport): void {
    this.values.slots += 1;
    for (const task of report.tasks) {
      if (!this.expected.has(task.id) && !this.done.has(task.id)) {
        this.expected.add(task.id);
        this.values.total += 1;
      }
    }
    this.nextWindow = windowOfSlot(this.grid, slotAfter(this.grid, report.slot.slotMs));
    for (const [id, held] of this.held) {
      if (this.expected.has(id)) {
        this.held.delete(id);
        this.countScheduled(held);
      } else if (held.task.window.fromMs < this.nextWindow.fromMs) {
        this.held.delete(id);
        this.countOlder(held);
      }
    }
  }

  /** A task ended. Released tasks (shutdown) are not finished: they come again. */
  taskFinished(report: TaskReport): void {
    if (report.status === 'released') {
      return;
    }
    const { id } = report.task;
    if (this.expected.has(id)) {
      this.countScheduled(report);
    } else if (this.done.has(id) || this.held.has(id)) {
      // A window is done once any copy of it succeeded during the run, whichever came first.
      if (report.status === 'succeeded') {
        if (this.held.get(id)?.status === 'failed') {
          this.held.set(id, report);
        } else if (this.failedIds.has(id)) {
          this.countSucceededAfterFailure(report);
        }
      }
      this.values.repeated += 1;
      this.onFinished(report, 'repeated');
    } else if (this.maySchedule(report.task.window)) {
      this.held.set(id, report);
    } else {
      this.countOlder(report);
    }
  }

  /** No slot will be scheduled any more: the held reports are older tasks. */
  endOfSlots(): void {
    for (const held of this.held.values()) {
      this.countOlder(held);
    }
    this.held.clear();
  }

  /** Whether a slot this run schedules later may predict `window`. */
  private maySchedule(window: TimeRange): boolean {
    const { fromMs } = window;
    const next = this.nextWindow.fromMs;
    return fromMs >= next && fromMs <= Math.max(next, this.catchUpEndFromMs);
  }

  private countScheduled(report: FinishedTaskReport): void {
    const { task } = report;
    this.expected.delete(task.id);
    this.done.add(task.id);
    if (this.done.size > DONE_IDS_KEPT) {
      const oldest = this.done.values().next();
      if (oldest.done !== true) {
        this.done.delete(oldest.value);
        this.failedIds.delete(oldest.value);
      }
    }
    if (report.status === 'succeeded') {
      this.addSuccess(report.result);
    } else {
      this.values.failed += 1;
      this.failedIds.add(task.id);
      if (this.failureTexts.length < FAILURES_KEPT) {
        this.failureTexts.push({
          id: task.id,
          text: `${task.project}/${task.model} ${formatRange(task.window)}: ${describeError(report.error)}`,
        });
      }
    }
    this.onFinished(report, 'scheduled');
  }

  /** A window counted as failed succeeded after all (another copy of it): it is done. */
  private countSucceededAfterFailure(report: Extract<TaskReport, { status: 'succeeded' }>): void {
    const { id } = report.task;
    this.failedIds.delete(id);
    this.values.failed -= 1;
    this.addSuccess(report.result);
    const listed = this.failureTexts.findIndex((failure) => failure.id === id);
    if (listed >= 0) {
      this.failureTexts.splice(listed, 1);
    }
  }

  private addSuccess(result: TaskResult): void {
    this.values.succeeded += 1;
    this.values.rows += result.rows;
    this.values.points += result.points;
    this.values.skipped += result.skipped;
  }

  private countOlder(report: FinishedTaskReport): void {
    this.values.older += 1;
    if (report.status === 'failed') {
      this.values.olderFailed += 1;
    }
    this.onFinished(report, 'older');
  }
}
