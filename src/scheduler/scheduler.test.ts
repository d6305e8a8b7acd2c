import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { isoUtc } from '../domain/time-range.js';
import type { Task } from '../domain/task.js';
import { taskId } from '../domain/task.js';
import type { TaskQueue } from '../interfaces/index.js';
import type { ModelInfo } from '../domain/model.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { MemoryTaskQueue } from '../task-queue/memory/memory-task-queue.js';
import { capturingLogger } from '../../test/support/capturing-logger.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { makeModel, staticModels } from '../../test/support/fake-providers.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import { createSlotGrid } from './slots.js';

const at = (iso: string): number => Date.parse(iso);
const HALF_HOUR = 1_800_000;

interface Setup {
  readonly now: string;
  readonly stopAfterSleeps?: number;
  readonly queue?: TaskQueue;
  readonly options?: Partial<SchedulerOptions>;
  readonly projects?: () => Promise<readonly string[]>;
  readonly models?: readonly ModelInfo[];
  readonly logger?: Logger;
}

function makeScheduler(setup: Setup) {
  const stop = new AbortController();
  const clock = new FakeClock(at(setup.now), (_until, fake) => {
    if (fake.sleeps.length >= (setup.stopAfterSleeps ?? 3)) {
      stop.abort();
    }
  });
  const sent: Task[][] = [];
  const inner: TaskQueue = setup.queue ?? new MemoryTaskQueue();
  const queue: TaskQueue = {
    ...inner,
    check: () => inner.check(),
    receive: (signal) => inner.receive(signal),
    acknowledge: (delivery, outcome) => inner.acknowledge(delivery, outcome),
    close: () => inner.close(),
    send: async (tasks) => {
      const result = await inner.send(tasks);
      sent.push([...tasks]);
      return result;
    },
    ...(inner.lastScheduledSlotMs === undefined
      ? {}
      : { lastScheduledSlotMs: () => inner.lastScheduledSlotMs!() }),
  };
  const scheduler = new Scheduler(
    {
      taskQueue: queue,
      modelInfo: staticModels(
        setup.models ?? [
          makeModel({ name: 'a' }),
          makeModel({ name: 'b' }),
          makeModel({ project: 'other' }),
        ],
      ),
      projects: setup.projects ?? (() => Promise.resolve(['p'])),
      clock,
    },
    {
      grid: createSlotGrid({ startMinutes: 8 * 60, intervalMs: HALF_HOUR, delayMs: 3 * 3_600_000 }),
      backFillMaxMs: 7 * 86_400_000,
      runAtOnce: false,
      restartIntervalMs: 0,
      backFillFrom: 'queue',
      retryDelayMs: 1_000,
      retryMaxDelayMs: 60_000,
      ...setup.options,
    },
    setup.logger ?? silentLogger(),
  );
  return { scheduler, clock, sent, stop };
}

describe('scheduler', () => {
  it('should wait for the next slot, then publish one task per model of the projects', async () => {
    const { scheduler, clock, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 2,
    });

    await scheduler.run(stop.signal);

    expect(clock.sleeps.map(isoUtc)).toEqual(['2024-05-01T09:30:00Z', '2024-05-01T10:00:00Z']);
    expect(sent).toHaveLength(1);
    const tasks = sent[0] ?? [];
    expect(tasks.map((task) => task.model)).toEqual(['a', 'b']);
    expect(tasks.map((task) => [isoUtc(task.window.fromMs), isoUtc(task.window.toMs)])).toEqual([
      ['2024-05-01T06:30:00Z', '2024-05-01T07:00:00Z'],
      ['2024-05-01T06:30:00Z', '2024-05-01T07:00:00Z'],
    ]);
    expect(tasks[0]?.id).toBe(taskId('p', 'a', tasks[0]!.window));
  });

  it('should leave out models whose names no task can carry, warning once per model', async () => {
    const { logger, lines } = capturingLogger();
    const { scheduler, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 3,
      models: [
        makeModel({ name: 'a' }),
        makeModel({ name: '..' }),
        makeModel({ name: 'b\u202Eexe' }),
      ],
      logger,
    });

    await scheduler.run(stop.signal);

    expect(sent.map((tasks) => tasks.map((task) => task.model))).toEqual([['a'], ['a']]);
    const warnings = lines.filter(
      (line) => line['msg'] === 'model not scheduled: its name cannot travel in a task',
    );
    expect(warnings.map((line) => [line['model'], line['problem']])).toEqual([
      ['..', 'model name must not be ".."'],
      [
        'b\u202Eexe',
        'model name contains a control or invisible character (U+202E) at character 2',
      ],
    ]);
  });

  it('should schedule the latest slot at once when run_at_once is set', async () => {
    const { scheduler, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 1,
      options: { runAtOnce: true },
    });

    await scheduler.run(stop.signal);

    expect(sent.map((tasks) => isoUtc(tasks[0]!.window.fromMs))).toEqual(['2024-05-01T06:00:00Z']);
  });

  it('should still emit the slot it was meant for, once, when it wakes late', async () => {
    // Everything up to 09:00 was scheduled; the process wakes at 09:37, seven minutes late.
    const { scheduler, sent, stop } = makeScheduler({ now: '2024-05-01T09:37:00Z' });

    const last = await scheduler.catchUp(at('2024-05-01T09:00:00Z'), stop.signal);

    expect(last).toBe(at('2024-05-01T09:30:00Z'));
    expect(sent.map((tasks) => isoUtc(tasks[0]!.window.fromMs))).toEqual(['2024-05-01T06:30:00Z']);
  });

  it('should retry a slot that cannot be delivered instead of dropping it', async () => {
    const memory = new MemoryTaskQueue();
    let failures = 2;
    const flaky: TaskQueue = {
      check: () => memory.check(),
      receive: (signal) => memory.receive(signal),
      acknowledge: (delivery, outcome) => memory.acknowledge(delivery, outcome),
      close: () => memory.close(),
      send: (tasks) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(
            new LatigoError('QUEUE_SEND_FAILED', 'broker not available', { retriable: true }),
          );
        }
        return memory.send(tasks);
      },
    };
    const { scheduler, clock, sent, stop } = makeScheduler({
      now: '2024-05-01T09:29:00Z',
      queue: flaky,
      stopAfterSleeps: 4,
    });

    await scheduler.run(stop.signal);

    // Slot wait, two retry waits (1 s then 2 s), then the wait for the following slot.
    expect(clock.sleeps.map(isoUtc)).toEqual([
      '2024-05-01T09:30:00Z',
      '2024-05-01T09:30:01Z',
      '2024-05-01T09:30:03Z',
      '2024-05-01T10:00:00Z',
    ]);
    expect(sent.map((tasks) => tasks.length)).toEqual([2]);
    expect(memory.size()).toBe(2);
  });

  it('should back-fill from the last slot the queue carried, within back_fill_max_interval', async () => {
    const memory = new MemoryTaskQueue();
    const remembering: TaskQueue = {
      check: () => memory.check(),
      receive: (signal) => memory.receive(signal),
      acknowledge: (delivery, outcome) => memory.acknowledge(delivery, outcome),
      close: () => memory.close(),
      send: (tasks) => memory.send(tasks),
      lastScheduledSlotMs: () => Promise.resolve(at('2024-05-01T08:00:00Z')),
    };
    const { scheduler, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      queue: remembering,
      stopAfterSleeps: 1,
    });

    await scheduler.run(stop.signal);

    expect(sent.map((tasks) => isoUtc(tasks[0]!.window.toMs))).toEqual([
      '2024-05-01T06:00:00Z',
      '2024-05-01T06:30:00Z',
    ]);
  });

  it('should back-fill no further back than back_fill_max_interval', async () => {
    const { scheduler, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 1,
      options: { backFillFrom: 'full', backFillMaxMs: 2 * HALF_HOUR },
    });

    await scheduler.run(stop.signal);

    expect(sent.map((tasks) => isoUtc(tasks[0]!.window.fromMs))).toEqual([
      '2024-05-01T05:30:00Z',
      '2024-05-01T06:00:00Z',
    ]);
  });

  it('should ask for the projects at every slot', async () => {
    const answers = [['p'], ['other']];
    const { scheduler, sent, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 3,
      projects: () => Promise.resolve(answers.shift() ?? []),
    });

    await scheduler.run(stop.signal);

    expect(sent.map((tasks) => tasks.map((task) => task.project))).toEqual([['p', 'p'], ['other']]);
  });

  it('should stop for a restart once restart_interval_sec has passed', async () => {
    const { scheduler, stop } = makeScheduler({
      now: '2024-05-01T09:10:00Z',
      stopAfterSleeps: 10,
      options: { restartIntervalMs: 3_600_000 },
    });

    const exit = await scheduler.run(stop.signal);

    expect(exit).toBe('restart');
  });
});
