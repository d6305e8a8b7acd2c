import { describe, expect, it } from 'vitest';

import { createTask, type Task } from '../domain/task.js';
import { formatRange } from '../domain/time-range.js';
import { LatigoError } from '../errors/index.js';
import { createSlotGrid, windowOfSlot } from '../scheduler/slots.js';
import type { SlotReport } from '../scheduler/scheduler.js';
import { TaskTally, type FinishedTaskReport, type TaskOrigin } from './task-tally.js';

const MINUTE = 60_000;
const grid = createSlotGrid({ startMinutes: 0, intervalMs: MINUTE, delayMs: MINUTE });
/** The back-fill starts after this instant: its first slot is START + 1 min. */
const START = Date.parse('2024-05-01T10:00:00Z');
const slotMs = (index: number) => START + (index + 1) * MINUTE;
/** The catch-up schedules the slots 0 to 4. */
const CATCH_UP_UNTIL = slotMs(4) + 30_000;

/** The tasks of the back-fill's slot `index`, one per model. */
function slotTasks(index: number, models = ['m1', 'm2']): Task[] {
  return models.map((model) => createTask('p', model, windowOfSlot(grid, slotMs(index))));
}

function slotReport(index: number, tasks = slotTasks(index)): SlotReport {
  const slot = { slotMs: slotMs(index), window: windowOfSlot(grid, slotMs(index)) };
  return { slot, tasks, durationMs: 1 };
}

function succeeded(task: Task, rows = 10): FinishedTaskReport {
  return {
    status: 'succeeded',
    task,
    result: { rows, points: rows * 2, skipped: 0 },
    attempts: 1,
    durationMs: 1,
  };
}

function failed(task: Task): FinishedTaskReport {
  return {
    status: 'failed',
    task,
    error: new LatigoError('SENSOR_DATA_MISSING', 'no data for the window'),
    attempts: 1,
    durationMs: 1,
  };
}

/** A task the queue held before the run: the same model, a window a day before the back-fill. */
const olderTask = (index: number): Task =>
  createTask('p', 'm1', windowOfSlot(grid, START - 86_400_000 + index * MINUTE));

function makeTally() {
  const seen: [string, TaskOrigin][] = [];
  const tally = new TaskTally(grid, START, CATCH_UP_UNTIL, (report, origin) =>
    seen.push([report.task.id, origin]),
  );
  return { tally, seen };
}

describe('TaskTally', () => {
  it('counts older tasks from the queue apart from the windows the run scheduled', () => {
    const { tally, seen } = makeTally();
    const own = slotTasks(0);
    tally.slotScheduled(slotReport(0, own));

    tally.taskFinished(succeeded(olderTask(0)));
    tally.taskFinished(failed(olderTask(1)));
    tally.taskFinished(succeeded(own[0]!));

    expect(tally.counts).toMatchObject({
      total: 2,
      succeeded: 1,
      failed: 0,
      rows: 10,
      older: 2,
      olderFailed: 1,
    });
    expect(tally.outstanding).toBe(1);
    expect(tally.failures).toEqual([]);
    expect(seen.map(([, origin]) => origin)).toEqual(['older', 'older', 'scheduled']);
  });

  it('matches a task reported before the scheduler reported its slot', () => {
    const { tally, seen } = makeTally();
    const own = slotTasks(0);

    tally.taskFinished(succeeded(own[1]!));
    expect(tally.counts.succeeded).toBe(0);
    expect(tally.heldReports).toBe(1);
    expect(seen).toEqual([]);

    tally.slotScheduled(slotReport(0, own));

    expect(tally.counts).toMatchObject({ total: 2, succeeded: 1, older: 0 });
    expect(tally.outstanding).toBe(1);
    expect(tally.heldReports).toBe(0);
    expect(seen).toEqual([[own[1]!.id, 'scheduled']]);
  });

  it('counts a held report as older when the slot it might belong to did not schedule it', () => {
    const { tally, seen } = makeTally();
    const stranger = createTask('p', 'not-in-this-run', windowOfSlot(grid, slotMs(0)));

    tally.taskFinished(succeeded(stranger));
    tally.slotScheduled(slotReport(0));

    expect(tally.counts).toMatchObject({ total: 2, succeeded: 0, older: 1 });
    expect(seen).toEqual([[stranger.id, 'older']]);
  });

  it('keeps a report of the next slot held until that slot is reported', () => {
    const { tally } = makeTally();
    const next = slotTasks(1);
    tally.slotScheduled(slotReport(0));

    tally.taskFinished(succeeded(next[0]!));
    tally.slotScheduled(slotReport(1, next));

    expect(tally.counts).toMatchObject({ total: 4, succeeded: 1, older: 0 });
  });

  it('counts a repeated report of the same task once', () => {
    const { tally, seen } = makeTally();
    const own = slotTasks(0);
    tally.slotScheduled(slotReport(0, own));

    tally.taskFinished(succeeded(own[0]!));
    tally.taskFinished(succeeded(own[0]!));
    tally.taskFinished(failed(own[0]!));

    expect(tally.counts).toMatchObject({ total: 2, succeeded: 1, failed: 0, repeated: 2 });
    expect(tally.outstanding).toBe(1);
    expect(seen.map(([, origin]) => origin)).toEqual(['scheduled', 'repeated', 'repeated']);
  });

  it('counts a window done once any copy of it succeeded, whichever came first', () => {
    const { tally } = makeTally();
    const own = slotTasks(0);
    tally.slotScheduled(slotReport(0, own));

    tally.taskFinished(failed(own[0]!));
    tally.taskFinished(failed(own[1]!));
    expect(tally.counts).toMatchObject({ succeeded: 0, failed: 2 });
    tally.taskFinished(succeeded(own[0]!, 7));
    tally.taskFinished(failed(own[0]!));

    expect(tally.counts).toMatchObject({ succeeded: 1, failed: 1, rows: 7, repeated: 2 });
    expect(tally.failures).toEqual([
      `p/m2 ${formatRange(own[1]!.window)}: SENSOR_DATA_MISSING: no data for the window`,
    ]);
  });

  it('counts a held failure that a later copy made good as done when its slot is reported', () => {
    const { tally } = makeTally();
    const own = slotTasks(0);

    tally.taskFinished(failed(own[0]!));
    tally.taskFinished(succeeded(own[0]!));
    tally.slotScheduled(slotReport(0, own));

    expect(tally.counts).toMatchObject({ succeeded: 1, failed: 0, repeated: 1 });
  });

  it('counts a task reported twice before its slot was reported once', () => {
    const { tally } = makeTally();
    const own = slotTasks(0);

    tally.taskFinished(succeeded(own[0]!));
    tally.taskFinished(succeeded(own[0]!));
    tally.slotScheduled(slotReport(0, own));

    expect(tally.counts).toMatchObject({ total: 2, succeeded: 1, repeated: 1 });
  });

  it('counts a task once when a retried slot delivery published it twice', () => {
    const { tally } = makeTally();
    const own = slotTasks(0, ['m1', 'm1']);

    tally.slotScheduled(slotReport(0, own));
    tally.taskFinished(succeeded(own[0]!));
    tally.taskFinished(succeeded(own[1]!));

    expect(tally.counts).toMatchObject({ total: 1, succeeded: 1, repeated: 1 });
    expect(tally.outstanding).toBe(0);
  });

  it('has work outstanding until every scheduled task finished, whatever else ran', () => {
    const { tally } = makeTally();
    const first = slotTasks(0);
    const second = slotTasks(1);
    tally.slotScheduled(slotReport(0, first));
    tally.slotScheduled(slotReport(1, second));

    for (let index = 0; index < 10; index += 1) {
      tally.taskFinished(succeeded(olderTask(index)));
    }
    expect(tally.outstanding).toBe(4);

    for (const task of [...first, ...second]) {
      tally.taskFinished(succeeded(task));
    }
    expect(tally.outstanding).toBe(0);
    expect(tally.counts).toMatchObject({ total: 4, succeeded: 4, older: 10 });
  });

  it('counts the held reports as older once no slot is scheduled any more', () => {
    const { tally, seen } = makeTally();
    tally.slotScheduled(slotReport(0));
    const nextWindowTask = slotTasks(1)[0]!;
    tally.taskFinished(succeeded(nextWindowTask));

    tally.endOfSlots();

    expect(tally.counts).toMatchObject({ older: 1, succeeded: 0 });
    expect(tally.heldReports).toBe(0);
    expect(seen).toEqual([[nextWindowTask.id, 'older']]);
  });

  it('ignores released tasks: they are delivered again', () => {
    const { tally, seen } = makeTally();
    const own = slotTasks(0);
    tally.slotScheduled(slotReport(0, own));

    tally.taskFinished({ status: 'released', task: own[0]!, durationMs: 1 });
    tally.taskFinished(succeeded(own[0]!));

    expect(tally.counts).toMatchObject({ succeeded: 1, repeated: 0 });
    expect(seen).toEqual([[own[0]!.id, 'scheduled']]);
  });

  it('lists the failures of scheduled windows only', () => {
    const { tally } = makeTally();
    const own = slotTasks(0);
    tally.slotScheduled(slotReport(0, own));

    tally.taskFinished(failed(olderTask(0)));
    tally.taskFinished(failed(own[0]!));

    expect(tally.counts).toMatchObject({ failed: 1, olderFailed: 1 });
    expect(tally.failures).toHaveLength(1);
    expect(tally.failures[0]).toMatch(/^p\/m1 .*: no data for the window/);
  });

  it('counts an older copy of a window the catch-up schedules later as that window, once', () => {
    const { tally, seen } = makeTally();
    const later = slotTasks(3);

    tally.taskFinished(succeeded(later[0]!));
    for (let index = 0; index <= 3; index += 1) {
      expect(tally.counts.succeeded).toBe(0);
      tally.slotScheduled(slotReport(index));
    }
    tally.taskFinished(succeeded(later[0]!));

    expect(tally.counts).toMatchObject({ total: 8, succeeded: 1, older: 0, repeated: 1 });
    expect(seen).toEqual([
      [later[0]!.id, 'scheduled'],
      [later[0]!.id, 'repeated'],
    ]);
  });

  it('counts a task of a window beyond the catch-up and the next slot as older at once', () => {
    const { tally, seen } = makeTally();
    const beyond = slotTasks(6)[0]!;
    const next = slotTasks(5)[0]!;
    for (let index = 0; index <= 4; index += 1) {
      tally.slotScheduled(slotReport(index));
    }

    tally.taskFinished(succeeded(beyond));
    tally.taskFinished(succeeded(next));

    expect(seen).toEqual([[beyond.id, 'older']]);
    expect(tally.heldReports).toBe(1);
  });
});
