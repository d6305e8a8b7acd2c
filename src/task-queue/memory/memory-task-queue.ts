import { performance } from 'node:perf_hooks';

import { z } from 'zod';

import { LatigoError } from '../../errors/index.js';
import type { Task } from '../../domain/task.js';
import type { Delivery, SendResult, TaskOutcome, TaskQueue } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { integer } from '../../config/fields.js';
import { Fifo } from '../../util/fifo.js';
import { WaitingReceivers } from '../waiting-receivers.js';

/** A task given up by the executor, kept for inspection. */
export interface DeadLetter {
  readonly task: Task;
  readonly error: LatigoError;
  readonly attempts: number;
}

/** How long deliveries may follow each other without a turn of the event loop. */
const TURN_EVERY_MS = 20;

/** A task in the queue and how often it was delivered before. */
interface PendingTask {
  readonly task: Task;
  readonly redeliveries: number;
}

/**
 * An in-process task queue for the embedded mode: the scheduler and the executor share one
 * instance. At least once like the real queue: a released task goes back to the front.
 */
export class MemoryTaskQueue implements TaskQueue {
  /** Tasks waiting, oldest first. */
  private readonly pending = new Fifo<PendingTask>();
  private readonly inFlight = new Map<string, PendingTask>();
  private readonly waiting = new WaitingReceivers();
  private readonly dead: DeadLetter[] = [];
  private nextDelivery = 1;
  /** When a receive last waited for a turn of the event loop. */
  private lastTurnMs = performance.now();
  private lastSlotMs: number | undefined;
  private closed = false;

  constructor(private readonly capacity = 1_000_000) {}

  check(): Promise<void> {
    return this.closed
      ? Promise.reject(new LatigoError('QUEUE_CLOSED', 'the memory task queue is closed'))
      : Promise.resolve();
  }

  send(tasks: readonly Task[], _signal?: AbortSignal, slotMs?: number): Promise<SendResult> {
    if (this.closed) {
      return Promise.reject(new LatigoError('QUEUE_CLOSED', 'the memory task queue is closed'));
    }
    if (tasks.length > this.capacity) {
      // Retrying cannot help: no amount of work by the executor makes room for this.
      return Promise.reject(
        new LatigoError(
          'QUEUE_SEND_FAILED',
          `${tasks.length} tasks sent at once are more than the memory task queue holds (task_queue.capacity ${this.capacity}); raise task_queue.capacity`,
          { context: { capacity: this.capacity, tasks: tasks.length } },
        ),
      );
    }
    if (this.pending.length + tasks.length > this.capacity) {
      return Promise.reject(
        new LatigoError('QUEUE_SEND_FAILED', 'the memory task queue is full', {
          retriable: true,
          context: { capacity: this.capacity, pending: this.pending.length },
        }),
      );
    }
    for (const task of tasks) {
      this.enqueue({ task, redeliveries: 0 }, false);
    }
    if (slotMs !== undefined && (this.lastSlotMs === undefined || slotMs > this.lastSlotMs)) {
      this.lastSlotMs = slotMs;
    }
    return Promise.resolve({ delivered: tasks.length });
  }

  receive(signal: AbortSignal): Promise<Delivery | undefined> {
    if (this.closed || signal.aborted) {
      return Promise.resolve(undefined);
    }
    const next = this.pending.shift();
    if (next !== undefined) {
      const delivery = this.deliver(next);
      if (performance.now() - this.lastTurnMs < TURN_EVERY_MS) {
        return Promise.resolve(delivery);
      }
      // Hand the event loop a turn now and then: with in-process providers that answer at
      // once, resolved promises alone would run the whole queue without one, and Ctrl-C,
      // SIGTERM and task deadlines would wait until it is empty.
      return new Promise((resolve) => {
        setImmediate(() => {
          this.lastTurnMs = performance.now();
          resolve(delivery);
        });
      });
    }
    return this.waiting.wait(signal);
  }

  acknowledge(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    const entry = this.inFlight.get(delivery.deliveryId);
    if (entry === undefined) {
      return Promise.reject(
        new LatigoError('INTERNAL', 'acknowledged a delivery that is not in flight', {
          context: { deliveryId: delivery.deliveryId },
        }),
      );
    }
    this.inFlight.delete(delivery.deliveryId);
    if (outcome.status === 'failed') {
      this.dead.push({ task: entry.task, error: outcome.error, attempts: outcome.attempts });
    } else if (outcome.status === 'released' && !this.closed) {
      this.enqueue({ task: entry.task, redeliveries: entry.redeliveries + 1 }, true);
    }
    return Promise.resolve();
  }

  /** The latest slot sent through this queue (in this process). */
  lastScheduledSlotMs(): Promise<number | undefined> {
    return Promise.resolve(this.lastSlotMs);
  }

  /** Tasks given up by executors, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  /** Tasks waiting plus tasks being worked on. */
  size(): number {
    return this.pending.length + this.inFlight.size;
  }

  close(): Promise<void> {
    this.closed = true;
    this.waiting.resolveAll();
    return Promise.resolve();
  }

  private enqueue(entry: PendingTask, front: boolean): void {
    const receiver = this.waiting.take();
    if (receiver !== undefined) {
      receiver.resolve(this.deliver(entry));
      return;
    }
    if (front) {
      this.pending.unshift(entry);
    } else {
      this.pending.push(entry);
    }
  }

  private deliver(entry: PendingTask): Delivery {
    const deliveryId = String(this.nextDelivery);
    this.nextDelivery += 1;
    this.inFlight.set(deliveryId, entry);
    return { deliveryId, task: entry.task, redeliveries: entry.redeliveries };
  }
}

const schema = z
  .object({
    type: z.literal('memory'),
    /** Most tasks waiting at once; sending more fails (retriably). */
    capacity: integer({ min: 1 }).prefault(1_000_000),
  })
  .strict();

/**
 * The `memory` task queue. Only useful when scheduler and executor run in one process (the
 * embedded mode), which shares one instance between them.
 */
export const memoryTaskQueueFactory: ProviderFactory<'task_queue', typeof schema> = {
  kind: 'task_queue',
  type: 'memory',
  schema,
  create: (config) => new MemoryTaskQueue(config.capacity),
};
