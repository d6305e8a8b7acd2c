import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { createTask, type Task } from '../domain/task.js';
import { timeRange } from '../domain/time-range.js';
import type { Delivery, TaskQueue } from '../interfaces/index.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { MemoryTaskQueue } from '../task-queue/memory/memory-task-queue.js';
import {
  failingTimes,
  makeModel,
  minuteData,
  recordingProviders,
  retriableError,
  staticModels,
} from '../../test/support/fake-providers.js';
import { capturingLogger } from '../../test/support/capturing-logger.js';
import { Executor, type ExecutorOptions, type TaskReport } from './executor.js';
import type { TaskProviders } from './providers.js';

const T0 = Date.parse('2024-05-01T06:00:00Z');
const window = (index: number) => timeRange(T0 + index * 1_800_000, T0 + (index + 1) * 1_800_000);

function makeExecutor(
  providers: TaskProviders,
  overrides: Partial<ExecutorOptions> = {},
  logger: Logger = silentLogger(),
  taskQueue?: TaskQueue,
) {
  const queue = new MemoryTaskQueue();
  const executor = new Executor(
    { ...providers, taskQueue: taskQueue ?? queue },
    {
      instanceCount: 1,
      taskTimeoutMs: 5_000,
      taskAttempts: 3,
      taskRetryDelayMs: 1,
      maxWindowMs: 86_400_000,
      shutdownGraceMs: 1_000,
      ...overrides,
    },
    logger,
  );
  const reports: TaskReport[] = [];
  executor.onTask((report) => reports.push(report));
  return { queue, executor, reports };
}

/** Runs the executor until `count` tasks have been reported, then stops it. */
async function runUntil(executor: Executor, reports: TaskReport[], count: number): Promise<void> {
  const stop = new AbortController();
  const finished = executor.run(stop.signal);
  const deadline = Date.now() + 10_000;
  while (reports.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  stop.abort();
  await finished;
}

/** The MaxListenersExceededWarnings Node emits while `work` runs. */
async function listenerWarnings(work: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') {
      warnings.push(warning.message);
    }
  };
  process.on('warning', onWarning);
  try {
    await work();
    // Node emits warnings on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

/** A task queue that is down: every receive fails. */
function unavailableQueue(): TaskQueue & { receives: number } {
  const queue = {
    receives: 0,
    check: () => Promise.resolve(),
    send: () => Promise.resolve({ delivered: 0 }),
    receive: (): Promise<Delivery | undefined> => {
      queue.receives += 1;
      return Promise.reject(new LatigoError('QUEUE_UNAVAILABLE', 'the broker is down'));
    },
    acknowledge: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return queue;
}

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('executor', () => {
  it('should read, predict, store and record a task', async () => {
    const providers = recordingProviders();
    const { queue, executor, reports } = makeExecutor(providers);
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect(reports.map((report) => report.status)).toEqual(['succeeded']);
    expect(providers.stored).toHaveLength(1);
    expect(providers.stored[0]?.timesMs).toHaveLength(30);
    expect(providers.recorded).toEqual(['p/m']);
    expect(queue.size()).toBe(0);
  });

  it('should keep serving other tasks when a provider throws', async () => {
    const throwing = minuteData();
    const providers = recordingProviders({
      sensorData: {
        getDataForRange: (spec, range) =>
          range.fromMs === window(1).fromMs
            ? Promise.reject(new Error('disk on fire'))
            : throwing.getDataForRange(spec, range),
      },
    });
    const { queue, executor, reports } = makeExecutor(providers);
    await queue.send([0, 1, 2].map((index) => createTask('p', 'm', window(index))));

    await runUntil(executor, reports, 3);

    expect(reports.map((report) => report.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    const failed = reports[1] as Extract<TaskReport, { status: 'failed' }>;
    expect(failed.error.message).toContain('disk on fire');
    expect(failed.error.context['step']).toBe('read');
    expect(queue.deadLetters().map((dead) => dead.task.window)).toEqual([window(1)]);
  });

  it('should retry a retriable failure and succeed', async () => {
    const data = minuteData();
    let attempts = 0;
    const flaky = failingTimes(2, retriableError, () => Promise.resolve(undefined));
    const providers = recordingProviders({
      sensorData: {
        getDataForRange: async (spec, range) => {
          attempts += 1;
          await flaky();
          return data.getDataForRange(spec, range);
        },
      },
    });
    const { queue, executor, reports } = makeExecutor(providers);
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect(attempts).toBe(3);
    expect(reports[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('should give up a retriable failure after the configured attempts', async () => {
    const providers = recordingProviders({
      sensorData: { getDataForRange: () => Promise.reject(retriableError()) },
    });
    const { queue, executor, reports } = makeExecutor(providers, { taskAttempts: 2 });
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect(reports[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(queue.deadLetters()[0]?.attempts).toBe(2);
  });

  it('should not retry an error that is not retriable', async () => {
    let calls = 0;
    const providers = recordingProviders({
      sensorData: {
        getDataForRange: () => {
          calls += 1;
          return Promise.reject(new LatigoError('SENSOR_DATA_MISSING', 'no data for tag T1'));
        },
      },
    });
    const { queue, executor, reports } = makeExecutor(providers);
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect(calls).toBe(1);
    expect(reports[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('should fail a task of an unknown model naming it', async () => {
    const providers = recordingProviders({ modelInfo: staticModels([makeModel()]) });
    const { queue, executor, reports } = makeExecutor(providers);
    await queue.send([createTask('p', 'nope', window(0))]);

    await runUntil(executor, reports, 1);

    const report = reports[0] as Extract<TaskReport, { status: 'failed' }>;
    expect(report.error.code).toBe('MODEL_NOT_FOUND');
    expect(report.error.message).toContain('nope');
  });

  it('should end a task that outlives its deadline even if the provider ignores the signal', async () => {
    const providers = recordingProviders({
      predictor: { executePrediction: () => new Promise(() => undefined) },
    });
    const { queue, executor, reports } = makeExecutor(providers, { taskTimeoutMs: 50 });
    await queue.send([createTask('p', 'm', window(0)), createTask('p', 'm', window(1))]);

    await runUntil(executor, reports, 2);

    expect(reports.map((report) => report.status)).toEqual(['failed', 'failed']);
    expect((reports[0] as Extract<TaskReport, { status: 'failed' }>).error.code).toBe(
      'TASK_TIMEOUT',
    );
  });

  it('should keep instance_count tasks in flight at once', async () => {
    let inFlight = 0;
    let highest = 0;
    const release: (() => void)[] = [];
    const base = minuteData();
    const providers = recordingProviders({
      sensorData: {
        getDataForRange: async (spec, range) => {
          inFlight += 1;
          highest = Math.max(highest, inFlight);
          await new Promise<void>((resolve) => release.push(resolve));
          inFlight -= 1;
          return base.getDataForRange(spec, range);
        },
      },
    });
    const { queue, executor, reports } = makeExecutor(providers, { instanceCount: 3 });
    const tasks: Task[] = [0, 1, 2, 3, 4, 5].map((index) => createTask('p', 'm', window(index)));
    await queue.send(tasks);

    const stop = new AbortController();
    const running = executor.run(stop.signal);
    while (reports.length < tasks.length) {
      await new Promise((resolve) => setImmediate(resolve));
      release.splice(0).forEach((resolve) => resolve());
    }
    stop.abort();
    await running;

    expect(highest).toBe(3);
    expect(reports.every((report) => report.status === 'succeeded')).toBe(true);
  });

  it('should release in-flight tasks for redelivery when the shutdown grace expires', async () => {
    const providers = recordingProviders({
      predictor: {
        executePrediction: (_request, signal) =>
          new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      },
    });
    const { queue, executor, reports } = makeExecutor(providers, { shutdownGraceMs: 20 });
    await queue.send([createTask('p', 'm', window(0))]);

    const stop = new AbortController();
    const running = executor.run(stop.signal);
    while (providers.reads.length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    stop.abort();
    await running;

    expect(reports.map((report) => report.status)).toEqual(['released']);
    expect(queue.size()).toBe(1);
    expect(executor.getState()).toBe('stopped');
  });

  it('should reject a window longer than max_window without running it', async () => {
    const providers = recordingProviders();
    const { queue, executor, reports } = makeExecutor(providers, { maxWindowMs: 60_000 });
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect((reports[0] as Extract<TaskReport, { status: 'failed' }>).error.code).toBe(
      'TASK_INVALID',
    );
    expect(providers.reads).toHaveLength(0);
  });
  it('should log one outcome line per task at info, with the task and its figures', async () => {
    const { logger, lines } = capturingLogger();
    const { queue, executor, reports } = makeExecutor(recordingProviders(), {}, logger);
    const task = createTask('p', 'm', window(0));
    await queue.send([task]);

    await runUntil(executor, reports, 1);

    const outcomes = lines.filter((line) => line['msg'] === 'task succeeded');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      level: 'info',
      taskId: task.id,
      project: 'p',
      model: 'm',
      window: '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
      attempts: 1,
      rows: 30,
      points: 30,
      skipped: 0,
    });
    expect(typeof outcomes[0]?.['durationMs']).toBe('number');
    expect(lines.some((line) => line['msg'] === 'task started')).toBe(false);
  });

  it('should log a failed task at warn with the task, its code and reason', async () => {
    const { logger, lines } = capturingLogger();
    const providers = recordingProviders({
      sensorData: {
        getDataForRange: () =>
          Promise.reject(new LatigoError('SENSOR_DATA_MISSING', 'no data for tag T1')),
      },
    });
    const { queue, executor, reports } = makeExecutor(providers, {}, logger);
    const task = createTask('p', 'm', window(0));
    await queue.send([task]);

    await runUntil(executor, reports, 1);

    const failures = lines.filter((line) => line['msg'] === 'task failed');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 'warn',
        taskId: task.id,
        model: 'm',
        window: '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
        attempts: 1,
        code: 'SENSOR_DATA_MISSING',
        retriable: false,
      }),
    ]);
    expect(failures[0]?.['reason']).toContain('no data for tag T1');
  });

  it('should give providers a signal that aborts with a TimeoutError at the deadline', async () => {
    const reasons: unknown[] = [];
    const providers = recordingProviders({
      predictor: {
        executePrediction: (_request, signal) =>
          new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => {
              reasons.push(signal.reason);
              reject(new Error('aborted'));
            }),
          ),
      },
    });
    const { queue, executor, reports } = makeExecutor(providers, { taskTimeoutMs: 30 });
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    expect(reasons).toEqual([expect.objectContaining({ name: 'TimeoutError' })]);
    expect(reports[0]).toMatchObject({ status: 'failed', error: { code: 'TASK_TIMEOUT' } });
  });

  it('should say in a timeout the deadline and how the attempt before failed', async () => {
    let calls = 0;
    const providers = recordingProviders({
      predictor: {
        executePrediction: (_request, signal) => {
          calls += 1;
          if (calls === 1) {
            return Promise.reject(
              new LatigoError('HTTP_STATUS', 'gordo answered 503', { retriable: true }),
            );
          }
          return new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('aborted'))),
          );
        },
      },
    });
    const { queue, executor, reports } = makeExecutor(providers, {
      taskTimeoutMs: 250,
      taskRetryDelayMs: 1,
    });
    await queue.send([createTask('p', 'm', window(0))]);

    await runUntil(executor, reports, 1);

    const report = reports[0];
    expect(report).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'TASK_TIMEOUT' },
    });
    expect(report?.status === 'failed' && report.error.message).toBe(
      'the task did not finish within executor.task_timeout (250ms); the attempt before failed with HTTP_STATUS: gordo answered 503',
    );
  });

  it('should release a task whose provider ignores its signal when the shutdown grace expires', async () => {
    const providers = recordingProviders({
      predictor: { executePrediction: () => new Promise(() => undefined) },
    });
    const { queue, executor, reports } = makeExecutor(providers, { shutdownGraceMs: 20 });
    await queue.send([createTask('p', 'm', window(0))]);

    const stop = new AbortController();
    const running = executor.run(stop.signal);
    await until(() => providers.reads.length > 0);
    stop.abort();
    await running;

    expect(reports.map((report) => report.status)).toEqual(['released']);
    expect(queue.size()).toBe(1);
  });

  it('should let more than ten workers wait on one stop signal without a listener warning', async () => {
    const { queue, executor } = makeExecutor(recordingProviders(), { instanceCount: 32 });
    const stop = new AbortController();

    const warnings = await listenerWarnings(async () => {
      const running = executor.run(stop.signal);
      await new Promise((resolve) => setImmediate(resolve));
      stop.abort();
      await running;
    });

    expect(warnings).toEqual([]);
    expect(executor.getState()).toBe('stopped');
    expect(queue.size()).toBe(0);
  });

  it('should pause more than ten workers after failed receives without a listener warning', async () => {
    const taskQueue = unavailableQueue();
    const { executor } = makeExecutor(
      recordingProviders(),
      { instanceCount: 32 },
      silentLogger(),
      taskQueue,
    );
    const stop = new AbortController();
    let stoppedAfterMs = Number.POSITIVE_INFINITY;

    const warnings = await listenerWarnings(async () => {
      const running = executor.run(stop.signal);
      await until(() => taskQueue.receives >= 32);
      const stopped = Date.now();
      stop.abort();
      await running;
      stoppedAfterMs = Date.now() - stopped;
    });

    expect(warnings).toEqual([]);
    expect(taskQueue.receives).toBe(32);
    // The workers pause a second after a failed receive, but a stop ends the pause.
    expect(stoppedAfterMs).toBeLessThan(1_000);
  });
});
