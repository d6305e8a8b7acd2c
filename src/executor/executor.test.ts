import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { createTask, type Task } from '../domain/task.js';
import { timeRange } from '../domain/time-range.js';
import { silentLogger } from '../logging/logger.js';
import { MemoryTaskQueue } from '../task-queue/memory/memory-task-queue.js';
import {
  failingTimes,
  makeModel,
  minuteData,
  recordingProviders,
  retriableError,
  staticModels,
} from '../../test/support/fake-providers.js';
import { Executor, type ExecutorOptions, type TaskReport } from './executor.js';
import type { TaskProviders } from './providers.js';

const T0 = Date.parse('2024-05-01T06:00:00Z');
const window = (index: number) => timeRange(T0 + index * 1_800_000, T0 + (index + 1) * 1_800_000);

function makeExecutor(providers: TaskProviders, overrides: Partial<ExecutorOptions> = {}) {
  const queue = new MemoryTaskQueue();
  const executor = new Executor(
    { ...providers, taskQueue: queue },
    {
      instanceCount: 1,
      taskTimeoutMs: 5_000,
      taskAttempts: 3,
      taskRetryDelayMs: 1,
      maxWindowMs: 86_400_000,
      shutdownGraceMs: 1_000,
      ...overrides,
    },
    silentLogger(),
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
});
