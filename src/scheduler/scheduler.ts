import { performance } from 'node:perf_hooks';

import { toLatigoError } from '../errors/index.js';
import { nameProblem } from '../domain/names.js';
import { createTask, type Task } from '../domain/task.js';
import { formatRange, isoUtc } from '../domain/time-range.js';
import type { ModelInfoProvider, TaskQueue } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../util/clock.js';
import { slotAfter, slotAtOrBefore, slotsBetween, type Slot, type SlotGrid } from './slots.js';

export interface SchedulerOptions {
  readonly grid: SlotGrid;
  /** How far back missed slots are back-filled. */
  readonly backFillMaxMs: number;
  /** Schedule the latest slot right at start-up. */
  readonly runAtOnce: boolean;
  /** Ask for a restart after this long (0 disables). */
  readonly restartIntervalMs: number;
  /**
   * Where back-filling starts at start-up: `queue` asks the task queue for the last slot it
   * carried (nothing is back-filled when it cannot tell); `full` back-fills the whole
   * `backFillMaxMs` (the embedded mode, whose queue starts empty).
   */
  readonly backFillFrom: 'queue' | 'full';
  /** First wait after a failed slot; doubles up to `retryMaxDelayMs`. */
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
}

export interface SchedulerDependencies {
  readonly taskQueue: TaskQueue;
  readonly modelInfo: ModelInfoProvider;
  /** The projects to schedule, asked at every slot. */
  readonly projects: (signal: AbortSignal) => Promise<readonly string[]>;
  readonly clock: Clock;
}

/** What one delivered slot carried. */
export interface SlotReport {
  readonly slot: Slot;
  readonly tasks: readonly Task[];
  readonly durationMs: number;
}

export type SchedulerExit = 'stopped' | 'restart';

/**
 * Publishes one task per model per slot, at the slots of the grid. A slot that cannot be
 * delivered is retried until it is; later slots wait behind it, none is dropped.
 */
export class Scheduler {
  private readonly listeners: ((report: SlotReport) => void)[] = [];
  private readonly badNamesWarned = new Set<string>();

  constructor(
    private readonly dependencies: SchedulerDependencies,
    private readonly options: SchedulerOptions,
    private readonly logger: Logger,
  ) {}

  /** The slot grid this scheduler follows. */
  get grid(): SlotGrid {
    return this.options.grid;
  }

  /** Called after every delivered slot. */
  onSlot(listener: (report: SlotReport) => void): void {
    this.listeners.push(listener);
  }

  /** The slot up to which everything is considered scheduled when starting at `nowMs`. */
  async startingPoint(nowMs: number, signal: AbortSignal): Promise<number> {
    const { grid, backFillMaxMs, runAtOnce, backFillFrom } = this.options;
    const latest = slotAtOrBefore(grid, nowMs);
    const earliest = nowMs - backFillMaxMs;
    let done = latest;
    if (backFillFrom === 'full') {
      done = earliest;
    } else if (this.dependencies.taskQueue.lastScheduledSlotMs !== undefined) {
      const last = await this.dependencies.taskQueue.lastScheduledSlotMs(signal);
      if (last !== undefined) {
        done = Math.min(latest, Math.max(last, earliest));
      }
    }
    return runAtOnce ? Math.min(done, latest - grid.intervalMs) : done;
  }

  /** The slots in `(doneMs, now]`: what `catchUp` would deliver now. */
  dueSlots(doneMs: number): Slot[] {
    return slotsBetween(this.options.grid, doneMs, this.dependencies.clock.now());
  }

  /**
   * Delivers every slot in `(doneMs, now]`, oldest first. Resolves the last delivered slot, or
   * undefined when stopped before all were delivered.
   */
  async catchUp(doneMs: number, stop: AbortSignal): Promise<number | undefined> {
    let done = doneMs;
    for (const slot of slotsBetween(this.options.grid, done, this.dependencies.clock.now())) {
      if (!(await this.deliver(slot, stop))) {
        return undefined;
      }
      done = slot.slotMs;
    }
    return done;
  }

  /**
   * Runs until `stop` aborts, or until a restart is due. Starts from `doneMs` when given (the
   * slot up to which everything is scheduled), else from `startingPoint(now)`.
   */
  async run(stop: AbortSignal, doneMs?: number): Promise<SchedulerExit> {
    const { clock } = this.dependencies;
    const startedAt = clock.now();
    let done: number | undefined = doneMs ?? (await this.startingPoint(startedAt, stop));
    this.logger.info(
      { firstSlot: isoUtc(slotAfter(this.options.grid, done)) },
      'scheduler running',
    );

    while (!stop.aborted) {
      done = await this.catchUp(done, stop);
      if (done === undefined) {
        return 'stopped';
      }
      const { restartIntervalMs } = this.options;
      if (restartIntervalMs > 0 && clock.now() - startedAt >= restartIntervalMs) {
        this.logger.info({ restartIntervalMs }, 'restart interval reached');
        return 'restart';
      }
      const next = slotAfter(this.options.grid, Math.max(done, clock.now()));
      this.logger.debug({ nextSlot: isoUtc(next) }, 'waiting for the next slot');
      await clock.sleepUntil(next, stop);
    }
    return 'stopped';
  }

  /** Lists the models and publishes the slot's tasks. Throws when that fails. */
  async scheduleSlot(slot: Slot, signal: AbortSignal): Promise<readonly Task[]> {
    const projects = await this.dependencies.projects(signal);
    const models = await this.dependencies.modelInfo.getAllModels(projects, signal);
    const tasks: Task[] = [];
    for (const model of models) {
      const problem = this.nameProblemOf(model.project, model.name);
      if (problem === undefined) {
        tasks.push(createTask(model.project, model.name, slot.window));
      }
    }
    if (tasks.length > 0) {
      await this.dependencies.taskQueue.send(tasks, signal, slot.slotMs);
    }
    return tasks;
  }

  /**
   * Why a model cannot be scheduled, warned once per name: a project or model name no task
   * message can carry (executors would dead-letter every one of its tasks).
   */
  private nameProblemOf(project: string, model: string): string | undefined {
    const projectProblem = nameProblem(project);
    const modelProblem = nameProblem(model);
    const problem =
      projectProblem !== undefined
        ? `project name ${projectProblem}`
        : modelProblem !== undefined
          ? `model name ${modelProblem}`
          : undefined;
    const key = `${project}\u0000${model}`;
    if (problem !== undefined && !this.badNamesWarned.has(key)) {
      this.badNamesWarned.add(key);
      this.logger.warn(
        { project, model, problem },
        'model not scheduled: its name cannot travel in a task',
      );
    }
    return problem;
  }

  /** Retries the slot until it is delivered; false only when stopped first. */
  private async deliver(slot: Slot, stop: AbortSignal): Promise<boolean> {
    const fields = { slot: isoUtc(slot.slotMs), window: formatRange(slot.window) };
    for (let attempt = 1; !stop.aborted; attempt += 1) {
      const started = performance.now();
      try {
        const tasks = await this.scheduleSlot(slot, stop);
        const durationMs = Math.round(performance.now() - started);
        if (tasks.length === 0) {
          this.logger.warn({ ...fields }, 'no models to schedule');
        }
        this.logger.info(
          { ...fields, delivered: tasks.length, attempt, durationMs },
          'slot scheduled',
        );
        for (const listener of this.listeners) {
          listener({ slot, tasks, durationMs });
        }
        return true;
      } catch (error) {
        const delayMs = Math.min(
          this.options.retryDelayMs * 2 ** (attempt - 1),
          this.options.retryMaxDelayMs,
        );
        this.logger.error(
          { ...fields, attempt, retryInMs: delayMs, err: toLatigoError(error) },
          'slot delivery failed',
        );
        await this.dependencies.clock.sleepUntil(this.dependencies.clock.now() + delayMs, stop);
      }
    }
    this.logger.warn({ ...fields }, 'stopped before the slot was delivered');
    return false;
  }
}
