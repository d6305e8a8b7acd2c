import { readFileSync, rmSync, writeFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { loadExecutorConfig, loadSchedulerConfig } from '../config/resolve.js';
import { LatigoError } from '../errors/index.js';
import type { Task } from '../domain/task.js';
import type { Delivery, SendResult, TaskOutcome, TaskQueue } from '../interfaces/index.js';
import { silentLogger } from '../logging/logger.js';
import type { ProviderRegistry } from '../registry/registry.js';
import { MemoryTaskQueue } from '../task-queue/memory/memory-task-queue.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import {
  BACK_FILL_SLOTS,
  backFillWindows,
  EMBEDDED_NOW,
  embeddedTestRegistry,
  olderTasks,
  writeEmbeddedOverlays,
} from '../../test/support/embedded-run.js';
import {
  runEmbedded,
  type EmbeddedObserver,
  type EmbeddedSummary,
  type TaskOrigin,
} from './embedded.js';

const NOW = EMBEDDED_NOW;

/**
 * The queue both halves of the run share, as a real queue would be: a memory queue that may
 * already hold older tasks, may deliver each task twice (at-least-once redelivery), and may
 * return from `send` only after the executor finished what was sent (a slow publish).
 */
class SharedQueue implements TaskQueue {
  private readonly inner = new MemoryTaskQueue();
  private readonly acknowledged = new Set<string>();
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly behaviour: { twice?: boolean; slowSend?: boolean }) {}

  async preload(tasks: readonly Task[]): Promise<void> {
    await this.inner.send(tasks);
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  async send(tasks: readonly Task[], signal?: AbortSignal, slotMs?: number): Promise<SendResult> {
    const result = await this.inner.send(tasks, signal, slotMs);
    if (this.behaviour.twice === true) {
      await this.inner.send(tasks, signal, slotMs);
    }
    if (this.behaviour.slowSend === true) {
      await this.until(() => tasks.every((task) => this.acknowledged.has(task.id)));
      // The executor reports a task after its acknowledgement: let that happen first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  }

  receive(signal: AbortSignal): Promise<Delivery | undefined> {
    return this.inner.receive(signal);
  }

  async acknowledge(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    await this.inner.acknowledge(delivery, outcome);
    this.acknowledged.add(delivery.task.id);
    for (const wake of this.waiters.splice(0)) {
      wake();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async until(condition: () => boolean): Promise<void> {
    while (!condition()) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

function loadConfigs(registry: ProviderRegistry) {
  const { folder, scheduler, executor } = writeEmbeddedOverlays("  type: 'test-shared'\n");
  folders.push(folder);
  return {
    schedulerConfig: loadSchedulerConfig(registry, { overlayFile: scheduler, environment: {} }),
    executorConfig: loadExecutorConfig(registry, { overlayFile: executor, environment: {} }),
  };
}

interface OnceRun {
  readonly summary: EmbeddedSummary;
  /** The summary handed to the observer when the back-fill was declared done. */
  readonly atCatchUpEnd: EmbeddedSummary;
  /** The windows stored by then. */
  readonly storedAtCatchUpEnd: readonly string[];
  readonly origins: readonly TaskOrigin[];
}

/** `latigo run --once` on the shared queue; fails instead of hanging when it never ends. */
async function runOnce(queue: SharedQueue): Promise<OnceRun> {
  const { registry, stored } = embeddedTestRegistry(queue);
  let atCatchUpEnd: EmbeddedSummary | undefined;
  let storedAtCatchUpEnd: string[] = [];
  const origins: TaskOrigin[] = [];
  const observer: EmbeddedObserver = {
    catchUpStarted: () => undefined,
    taskFinished: (_report, _counts, origin) => origins.push(origin),
    catchUpFinished: (summary) => {
      atCatchUpEnd = summary;
      storedAtCatchUpEnd = [...stored];
    },
    slotScheduled: () => undefined,
  };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 15_000);
  try {
    const summary = await runEmbedded(
      {
        ...loadConfigs(registry),
        registry,
        logger: silentLogger(),
        clock: new FakeClock(NOW),
        observer,
        once: true,
      },
      stop.signal,
    );
    expect(stop.signal.aborted, 'the back-fill never ended').toBe(false);
    return { summary, atCatchUpEnd: atCatchUpEnd!, storedAtCatchUpEnd, origins };
  } finally {
    clearTimeout(timer);
  }
}

describe('runEmbedded on a queue shared with other work', () => {
  it('does not count older tasks from the queue and ends the back-fill only when its own windows are done', async () => {
    const queue = new SharedQueue({});
    // Taken first: the queue delivers oldest first and the executor runs one task at a time.
    await queue.preload(olderTasks(6));

    const { summary, atCatchUpEnd, storedAtCatchUpEnd } = await runOnce(queue);

    expect(storedAtCatchUpEnd).toEqual(expect.arrayContaining(backFillWindows()));
    expect(atCatchUpEnd).toMatchObject({
      total: BACK_FILL_SLOTS,
      succeeded: BACK_FILL_SLOTS,
      failed: 0,
      older: 6,
      olderFailed: 0,
      repeated: 0,
    });
    expect(summary).toMatchObject({ succeeded: BACK_FILL_SLOTS, older: 6 });
  });

  it('counts the windows the executor finished before the scheduler was told they were sent', async () => {
    const queue = new SharedQueue({ slowSend: true });

    const { atCatchUpEnd, storedAtCatchUpEnd, origins } = await runOnce(queue);

    expect(storedAtCatchUpEnd).toEqual(backFillWindows());
    expect(atCatchUpEnd).toMatchObject({ total: BACK_FILL_SLOTS, succeeded: BACK_FILL_SLOTS });
    expect(origins).toEqual(Array<TaskOrigin>(BACK_FILL_SLOTS).fill('scheduled'));
  });

  it('counts a window delivered twice once', async () => {
    const queue = new SharedQueue({ twice: true });

    const { summary, storedAtCatchUpEnd } = await runOnce(queue);

    expect(new Set(storedAtCatchUpEnd)).toEqual(new Set(backFillWindows()));
    expect(summary.total).toBe(BACK_FILL_SLOTS);
    expect(summary.succeeded).toBe(BACK_FILL_SLOTS);
    // The queue hands out both copies of a window one after the other, and the run stops once
    // the last window is done: its second copy may or may not have run by then.
    expect(summary.repeated).toBeGreaterThanOrEqual(BACK_FILL_SLOTS - 1);
    expect(summary.repeated).toBeLessThanOrEqual(BACK_FILL_SLOTS);
    expect(summary.older).toBe(0);
  });
});

describe('runEmbedded on Kafka', () => {
  /** Runs on Kafka overlays, the executor's task_queue edited; resolves with the refusal. */
  async function refusal(editExecutorQueue: (queue: string) => string): Promise<unknown> {
    const queue = "  type: 'kafka'\n  brokers: ['127.0.0.1:9']\n  topic: 'tasks'\n";
    const { folder, scheduler, executor } = writeEmbeddedOverlays(queue);
    folders.push(folder);
    writeFileSync(
      executor,
      readFileSync(executor, 'utf8').replace(queue, editExecutorQueue(queue)),
    );
    const { registry } = embeddedTestRegistry();
    const observer: EmbeddedObserver = {
      catchUpStarted: () => undefined,
      taskFinished: () => undefined,
      catchUpFinished: () => undefined,
      slotScheduled: () => undefined,
    };
    return runEmbedded(
      {
        schedulerConfig: loadSchedulerConfig(registry, { overlayFile: scheduler, environment: {} }),
        executorConfig: loadExecutorConfig(registry, { overlayFile: executor, environment: {} }),
        registry,
        logger: silentLogger(),
        clock: new FakeClock(NOW),
        observer,
        once: true,
      },
      new AbortController().signal,
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('refuses a scheduler and an executor on different topics or brokers, which would wait for ever', async () => {
    const otherTopic = await refusal((queue) => queue.replace("'tasks'", "'other'"));
    const otherBrokers = await refusal((queue) => queue.replace('127.0.0.1:9', '127.0.0.1:10'));

    for (const error of [otherTopic, otherBrokers]) {
      expect(error).toBeInstanceOf(LatigoError);
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    }
    expect(String((otherTopic as Error).message)).toContain(
      'the scheduler publishes to topic "tasks" on 127.0.0.1:9 and the executor reads topic "other" on 127.0.0.1:9',
    );
    expect(String((otherBrokers as Error).message)).toContain('"tasks" on 127.0.0.1:10');
  });

  it('refuses an executor that would skip what the scheduler published before it joined', async () => {
    const error = await refusal(
      (queue) => `${queue}  default.topic.config:\n    auto.offset.reset: 'largest'\n`,
    );

    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(String((error as Error).message)).toMatch(
      /auto\.offset\.reset reads only messages published after it joined .* must read from the earliest offset/,
    );
  });
});
