import type { LatigoError } from '../errors/index.js';
import type { Task } from '../domain/task.js';

/** A task handed to an executor, with what the queue needs to acknowledge it. */
export interface Delivery {
  /** Unique per delivery (a redelivered task gets a new one). */
  readonly deliveryId: string;
  readonly task: Task;
  /** How many times this task was delivered before, when the queue knows. */
  readonly redeliveries?: number | undefined;
}

export type TaskOutcome =
  | { readonly status: 'succeeded' }
  /** Given up: the queue records it (dead-letter topic) and never delivers it again. */
  | { readonly status: 'failed'; readonly error: LatigoError; readonly attempts: number }
  /** Not finished (shutdown): the queue delivers it again later. */
  | { readonly status: 'released' };

/** What one `send` did. */
export interface SendResult {
  readonly delivered: number;
}

/**
 * The queue between the scheduler and the executors. Delivery is at least once: a task is
 * delivered again unless it was acknowledged `succeeded` or `failed`.
 */
export interface TaskQueue {
  /** Verifies at start-up that the queue is usable (e.g. the topic exists). */
  check(signal?: AbortSignal): Promise<void>;
  /**
   * Publishes tasks and resolves once the queue has accepted every one of them. `slotMs` is the
   * slot they were scheduled for; a queue that records it can answer `lastScheduledSlotMs`.
   */
  send(tasks: readonly Task[], signal?: AbortSignal, slotMs?: number): Promise<SendResult>;
  /**
   * Waits for the next task. Resolves undefined when `signal` aborts or the queue is closed.
   * Malformed messages never come out of here: the queue dead-letters them itself.
   */
  receive(signal: AbortSignal): Promise<Delivery | undefined>;
  /** Ends a delivery. Must be called exactly once for every delivery received. */
  acknowledge(delivery: Delivery, outcome: TaskOutcome): Promise<void>;
  /**
   * The latest slot instant (epoch ms) whose tasks were already published, if the queue can
   * tell. The scheduler uses it to back-fill slots missed while it was down.
   */
  lastScheduledSlotMs?(signal?: AbortSignal): Promise<number | undefined>;
  close(): Promise<void>;
}
