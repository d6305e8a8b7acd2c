import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';

import { LatigoError, toLatigoError } from '../../errors/index.js';
import type { Task } from '../../domain/task.js';
import type { Delivery, TaskOutcome } from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';
import { decodeTaskMessage, type DecodedTaskMessage } from '../task-message.js';
import {
  failedTaskLetter,
  malformedLetter,
  MAX_COPIED_VALUE_BYTES,
  type SourcePosition,
} from './dead-letter.js';
import { consumerConfig } from './kafkajs-options.js';
import type { KafkaSettings } from './kafka-settings.js';
import { OffsetCommitter } from './offset-committer.js';
import { PartitionOffsets } from './partition-offsets.js';
import { Fifo } from '../../util/fifo.js';
import { WaitingReceivers, type WaitingReceiver } from '../waiting-receivers.js';

/**
 * A task read from Kafka: waiting in the prefetch buffer, or handed out (as the delivery itself)
 * and not acknowledged yet. One object per message, and the delivery id is only written out when
 * something asks for it: at thousands of tasks a slot, each object and string more was measurable.
 */
class Taken implements Delivery {
  /** Set when handed out; unique within the consumer. */
  private sequence = 0;
  /**
   * Handed out and not acknowledged yet. A private field: a copy of the delivery (a spread, or
   * one that keeps the prototype) does not have it, so only the delivery itself is accepted back.
   */
  #inFlight = false;

  constructor(
    readonly task: Task,
    readonly offsets: PartitionOffsets,
    readonly offset: number,
    /**
     * What a dead-letter record tells of the message (with `offset` and the partition), copied
     * out as strings so that the fetched bytes are not kept alive.
     */
    private readonly offsetText: string,
    private readonly key: string | null,
    private readonly timestamp: string,
    /** The consumer that read it. */
    readonly reader: { readonly instance: string; readonly topic: string },
  ) {}

  /** Marks it handed out as the consumer's `sequence`th delivery. */
  handOut(sequence: number): void {
    this.sequence = sequence;
    this.#inFlight = true;
  }

  /**
   * `delivery` as the record `reader` handed out and not acknowledged yet, now marked
   * acknowledged; undefined for anything else (acknowledged already, a copy, another
   * consumer's).
   */
  static settle(delivery: unknown, reader: Taken['reader']): Taken | undefined {
    if (
      typeof delivery !== 'object' ||
      delivery === null ||
      !(#inFlight in delivery) ||
      !delivery.#inFlight ||
      delivery.reader !== reader
    ) {
      return undefined;
    }
    delivery.#inFlight = false;
    return delivery;
  }

  get deliveryId(): string {
    return `${this.reader.instance}#${this.sequence}`;
  }

  /** Where it came from, for a dead-letter record. */
  get source(): SourcePosition {
    return sourcePosition(
      this.reader.topic,
      this.offsets.partition,
      this.offsetText,
      this.key,
      this.timestamp,
    );
  }
}

type ConsumerState = 'idle' | 'starting' | 'running' | 'closing' | 'closed';

export interface TaskConsumerOptions {
  readonly kafka: Kafka;
  readonly settings: KafkaSettings;
  /** Publishes to the dead-letter topic; resolves once the broker has the message. */
  readonly deadLetter: (message: Message) => Promise<void>;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Longest pause between attempts to dead-letter a malformed message. */
const DEAD_LETTER_RETRY_MAX_MS = 30_000;

/**
 * Turns kafkajs's push consumer into the pull API of the executor. A batch handler hands each
 * message to a waiting `receive` call, or keeps it in a bounded prefetch buffer
 * (`prefetch_tasks`) that later `receive` calls take from without waiting. Once the buffer is
 * full, the handler holds the rest of its batch, fetches nothing more and heartbeats, so the
 * group keeps this member however long its tasks run; with room in the buffer it returns, and
 * kafkajs fetches the next batches while the executor works (kafkajs fetches again only when
 * every batch of the last fetch is handled). Offsets are committed per partition up to the
 * oldest task not finished yet, buffered tasks included; a partition that moves to another member
 * in a rebalance is never committed from here again, and its unfinished and buffered tasks are
 * delivered there.
 */
export class TaskConsumer {
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private state: ConsumerState = 'idle';
  private readonly receivers = new WaitingReceivers();
  /** The prefetch buffer, oldest first. */
  private readonly ready = new Fifo<Taken>();
  /** Tasks handed out and not acknowledged. */
  private inFlight = 0;
  private readonly partitions = new Map<number, PartitionOffsets>();
  /** Changes at every group join and crash; a batch of an older membership stops handing out. */
  private membership = 0;
  private deliveries = 0;
  /** Makes delivery ids unique across consumers and restarts; names the topic of dead letters. */
  private readonly reader: { readonly instance: string; readonly topic: string };
  private wakeHandler: (() => void) | undefined;
  /** Attempts to dead-letter malformed messages not dead-lettered yet, by `partition:offset`. */
  private readonly deadLetterAttempts = new Map<string, number>();
  private readonly committer: OffsetCommitter;
  private readonly now: () => number;

  constructor(private readonly options: TaskConsumerOptions) {
    this.now = options.now ?? Date.now;
    this.reader = { instance: randomUUID().slice(0, 8), topic: options.settings.topic };
    this.committer = new OffsetCommitter(
      options.settings.commit,
      () => this.partitions.values(),
      (commits) => this.commit(commits),
      options.logger,
    );
  }

  /** Waits for the next task; starts the consumer on first use. */
  receive(signal: AbortSignal): Promise<Delivery | undefined> {
    if (this.state === 'closing' || this.state === 'closed' || signal.aborted) {
      return Promise.resolve(undefined);
    }
    this.ensureStarted();
    const next = this.takeReady();
    if (next !== undefined) {
      if (this.ready.length <= this.lowWater()) {
        this.wakeHandler?.();
      }
      return Promise.resolve(this.handOut(next));
    }
    const delivery = this.receivers.wait(signal);
    this.wakeHandler?.();
    return delivery;
  }

  /** Tasks read from Kafka and waiting in the prefetch buffer for a worker. */
  get buffered(): number {
    return this.ready.length;
  }

  /** Not async: a task that succeeded costs no promise more than committing takes. */
  acknowledge(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    // The delivery handed out is the Taken itself.
    const taken = Taken.settle(delivery, this.reader);
    if (taken === undefined) {
      return Promise.reject(
        new LatigoError('INTERNAL', 'acknowledged a delivery that is not in flight', {
          context: { deliveryId: (delivery as Partial<Delivery> | undefined)?.deliveryId },
        }),
      );
    }
    this.inFlight -= 1;
    if (outcome.status === 'released') {
      this.options.logger.debug(takenFields(taken), 'task released; its offset stays uncommitted');
      return Promise.resolve();
    }
    if (taken.offsets.revoked) {
      this.options.logger.info(
        takenFields(taken),
        'task finished after its partition moved to another executor; not committed there',
      );
      return Promise.resolve();
    }
    if (outcome.status === 'failed') {
      return this.deadLetterFailed(taken, outcome.error, outcome.attempts);
    }
    taken.offsets.finish(taken.offset);
    return this.committer.changed();
  }

  /** Dead-letters a task given up, then lets its offset be committed. */
  private async deadLetterFailed(
    taken: Taken,
    error: LatigoError,
    attempts: number,
  ): Promise<void> {
    await this.options.deadLetter(
      failedTaskLetter(taken.task, error, attempts, taken.source, this.now()),
    );
    taken.offsets.finish(taken.offset);
    await this.committer.changed();
  }

  /**
   * Stops taking tasks, commits what is finished, leaves the group and disconnects. Deliveries
   * not acknowledged by now stay uncommitted and are delivered again (here after a restart, or
   * to another executor).
   */
  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') {
      return;
    }
    this.state = 'closing';
    this.wakeHandler?.();
    this.receivers.resolveAll();
    const buffered = this.ready.length;
    this.dropReady(() => true);
    if (this.inFlight > 0 || buffered > 0) {
      this.options.logger.info(
        { inFlight: this.inFlight, buffered },
        'closing with tasks not acknowledged; they will be delivered again',
      );
    }
    if (this.starting !== undefined) {
      await this.withDeadline(this.starting, 'joining the consumer group');
    }
    this.committer.stop();
    await this.committer.flush();
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer !== undefined) {
      await this.withDeadline(consumer.disconnect(), 'leaving the consumer group');
    }
    this.state = 'closed';
  }

  private ensureStarted(): void {
    if (this.state !== 'idle') {
      return;
    }
    this.state = 'starting';
    this.starting = this.start().catch(async (error: unknown) => {
      const consumer = this.consumer;
      this.consumer = undefined;
      if (this.state === 'starting' || this.state === 'running') {
        this.state = 'idle';
      }
      await consumer?.disconnect().catch(() => undefined);
      this.failReceivers(error);
    });
  }

  private async start(): Promise<void> {
    const { kafka, settings, logger } = this.options;
    const consumer = kafka.consumer(consumerConfig(settings));
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) =>
      this.onGroupJoin(event.payload.memberAssignment[settings.topic] ?? []),
    );
    // Commit what is finished before partitions may move, while this membership is still valid.
    consumer.on(consumer.events.REBALANCING, () => void this.committer.flush());
    consumer.on(consumer.events.CRASH, (event) =>
      this.onCrash(event.payload.error, event.payload.restart),
    );

    await consumer.connect();
    await consumer.subscribe({ topics: [settings.topic], fromBeginning: settings.fromBeginning });
    if (this.state !== 'starting') {
      return;
    }
    this.state = 'running';
    logger.info(
      { topic: settings.topic, groupId: settings.groupId, broker: settings.brokerLabel },
      'Kafka consumer starting',
    );
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const membership = this.membership;
    const offsets = this.offsetsOf(batch.partition);
    // kafkajs fetches again from the last resolved offset. Resolving waits until the handler
    // is about to wait or return, which saves kafkajs's 64-bit arithmetic on most messages.
    let unresolved: string | undefined;
    const resolve = (): void => {
      if (unresolved !== undefined) {
        payload.resolveOffset(unresolved);
        unresolved = undefined;
      }
    };
    let lastHeartbeat = this.now();
    const keepAlive = async (): Promise<void> => {
      resolve();
      if (this.now() - lastHeartbeat >= this.options.settings.heartbeatIntervalMs) {
        await payload.heartbeat();
        lastHeartbeat = this.now();
      }
    };
    // This consumer never seeks, so its batches do not go stale; handing out stops when kafkajs
    // stops or the group membership changed.
    const current = (): boolean => payload.isRunning() && this.handingOut(membership);

    try {
      for (const message of batch.messages) {
        if (!current()) {
          return;
        }
        const offset = Number(message.offset);
        if (offsets.wasTaken(offset)) {
          unresolved = message.offset;
          continue;
        }
        const decoded = this.decode(message);
        if (!decoded.ok) {
          resolve();
          const source = this.sourceOf(batch.partition, message);
          if (
            !(await this.deadLetterMalformed(decoded.reason, message, source, current, keepAlive))
          ) {
            return;
          }
          offsets.takeFinished(offset);
          unresolved = message.offset;
          await this.committer.changed();
          await keepAlive();
          continue;
        }
        const taken = new Taken(
          decoded.task,
          offsets,
          offset,
          message.offset,
          keyText(message),
          message.timestamp,
          this.reader,
        );
        const receiver = this.receivers.take();
        if (receiver === undefined && this.ready.length >= this.capacity()) {
          resolve();
          const waiting = await this.nextRoom(current, keepAlive);
          if (waiting === false) {
            return;
          }
          offsets.take(offset);
          unresolved = message.offset;
          this.placeTaken(taken, waiting);
          continue;
        }
        offsets.take(offset);
        unresolved = message.offset;
        this.placeTaken(taken, receiver);
      }
    } finally {
      resolve();
    }
  }

  /**
   * Waits, heartbeating, until a `receive` call waits (resolves with it) or the buffer has drained
   * to its low-water mark (resolves undefined). False when handing out must stop.
   */
  private async nextRoom(
    current: () => boolean,
    keepAlive: () => Promise<void>,
  ): Promise<WaitingReceiver | undefined | false> {
    for (;;) {
      if (!current()) {
        return false;
      }
      const receiver = this.receivers.take();
      if (receiver !== undefined) {
        return receiver;
      }
      if (this.ready.length <= this.lowWater() && this.ready.length < this.capacity()) {
        return undefined;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, this.options.settings.heartbeatIntervalMs);
        function wake(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wakeHandler = wake;
      });
      this.wakeHandler = undefined;
      // Throws when the group is rebalancing: kafkajs then rejoins, and this batch is fetched again.
      await keepAlive();
    }
  }

  /** Hands a task to a waiting receiver, or buffers it. */
  private placeTaken(taken: Taken, receiver: WaitingReceiver | undefined): void {
    if (receiver === undefined) {
      this.ready.push(taken);
    } else {
      receiver.resolve(this.handOut(taken));
    }
  }

  /** The oldest buffered task whose partition is still ours. */
  private takeReady(): Taken | undefined {
    for (let next = this.ready.shift(); next !== undefined; next = this.ready.shift()) {
      if (!next.offsets.revoked) {
        return next;
      }
    }
    return undefined;
  }

  /** Drops buffered tasks (they stay uncommitted, so they are delivered again). */
  private dropReady(drop: (taken: Taken) => boolean): void {
    this.ready.retain((taken) => !drop(taken));
  }

  private capacity(): number {
    return this.options.settings.prefetchTasks;
  }

  /** A full buffer takes new tasks again once it drained to half. */
  private lowWater(): number {
    return Math.floor(this.capacity() / 2);
  }

  private handingOut(membership: number): boolean {
    return this.state === 'running' && membership === this.membership;
  }

  private handOut(taken: Taken): Delivery {
    this.deliveries += 1;
    taken.handOut(this.deliveries);
    this.inFlight += 1;
    return taken;
  }

  private decode(message: KafkaMessage): DecodedTaskMessage {
    const { value } = message;
    const limit = this.options.settings.maxMessageBytes;
    if (value === null) {
      return { ok: false, reason: 'the message has no value' };
    }
    if (value.length > limit) {
      return {
        ok: false,
        reason: `the message has ${value.length} bytes, more than task_queue.max_message_bytes (${limit})`,
      };
    }
    if (!isUtf8(value)) {
      return { ok: false, reason: 'the message is not UTF-8 text' };
    }
    return decodeTaskMessage(value.toString('utf8'));
  }

  /**
   * Publishes a malformed message to the dead-letter topic, trying again with growing pauses
   * (heartbeating) while the broker refuses. False when handing out must stop first; the message
   * is then fetched again later.
   */
  private async deadLetterMalformed(
    reason: string,
    message: KafkaMessage,
    source: SourcePosition,
    current: () => boolean,
    keepAlive: () => Promise<void>,
  ): Promise<boolean> {
    const { logger, settings } = this.options;
    const fields = { partition: source.partition, offset: source.offset, reason };
    logger.warn(fields, 'malformed task message: sending it to the dead-letter topic');
    const letter = malformedLetter(
      reason,
      message.value,
      source,
      this.now(),
      Math.min(MAX_COPIED_VALUE_BYTES, Math.floor(settings.maxMessageBytes / 4)),
    );
    // Counted per message across re-fetches: a rejoin fetches the message again, and its pauses
    // go on growing instead of starting over.
    const key = `${source.partition}:${source.offset}`;
    for (;;) {
      const attempt = (this.deadLetterAttempts.get(key) ?? 0) + 1;
      this.deadLetterAttempts.set(key, attempt);
      const failed = await this.heartbeatingWhile(this.options.deadLetter(letter), keepAlive);
      if (failed === undefined) {
        this.deadLetterAttempts.delete(key);
        return true;
      }
      const failure = toLatigoError(failed.error, 'QUEUE_SEND_FAILED');
      if (!failure.retriable) {
        this.deadLetterAttempts.delete(key);
        logger.error(
          { ...fields, err: failure },
          'malformed task message cannot be dead-lettered; skipping it',
        );
        return true;
      }
      const delayMs = Math.min(DEAD_LETTER_RETRY_MAX_MS, 500 * 2 ** (attempt - 1));
      logger.warn({ ...fields, err: failure, attempt, delayMs }, 'dead-lettering failed; retrying');
      const until = this.now() + delayMs;
      while (this.now() < until) {
        if (!current()) {
          return false;
        }
        await sleep(Math.min(until - this.now(), settings.heartbeatIntervalMs));
        await keepAlive();
      }
    }
  }

  /**
   * Waits for `work`, heartbeating every heartbeat interval meanwhile: a send to a broker that
   * refuses it can take longer than the session timeout, and the group would drop this member.
   * Resolves with the work's error, or undefined when it succeeded; a failed heartbeat (the group
   * is rebalancing) throws, and the work's late outcome is then ignored.
   */
  private async heartbeatingWhile(
    work: Promise<void>,
    keepAlive: () => Promise<void>,
  ): Promise<{ readonly error: unknown } | undefined> {
    let outcome: { readonly error: unknown } | undefined;
    let settled = false;
    const done = work.then(
      () => {
        settled = true;
      },
      (error: unknown) => {
        settled = true;
        outcome = { error };
      },
    );
    while (!settled) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.options.settings.heartbeatIntervalMs);
        }),
      ]);
      clearTimeout(timer);
      if (!settled) {
        await keepAlive();
      }
    }
    return outcome;
  }

  private sourceOf(partition: number, message: KafkaMessage): SourcePosition {
    return sourcePosition(
      this.options.settings.topic,
      partition,
      message.offset,
      keyText(message),
      message.timestamp,
    );
  }

  private offsetsOf(partition: number): PartitionOffsets {
    let offsets = this.partitions.get(partition);
    if (offsets === undefined) {
      offsets = new PartitionOffsets(partition);
      this.partitions.set(partition, offsets);
    }
    return offsets;
  }

  /**
   * After every join: partitions no longer assigned are revoked (their unfinished tasks go to
   * their new owner); partitions kept keep their state, so tasks fetched again are not handed out
   * twice.
   */
  private onGroupJoin(assigned: readonly number[]): void {
    this.membership += 1;
    const kept = new Set(assigned);
    let revokedUnfinished = 0;
    for (const [partition, offsets] of this.partitions) {
      if (!kept.has(partition)) {
        offsets.revoke();
        revokedUnfinished += offsets.unfinishedCount;
        this.partitions.delete(partition);
      }
    }
    const buffered = this.ready.length;
    this.dropReady((taken) => taken.offsets.revoked);
    this.options.logger.info(
      {
        topic: this.options.settings.topic,
        partitions: [...assigned],
        revokedUnfinished,
        revokedBuffered: buffered - this.ready.length,
      },
      'joined the consumer group',
    );
    this.wakeHandler?.();
    void this.committer.flush();
  }

  /** kafkajs left the group: nothing taken before may be committed any more. */
  private onCrash(error: Error, restart: boolean): void {
    this.membership += 1;
    for (const offsets of this.partitions.values()) {
      offsets.revoke();
    }
    this.partitions.clear();
    this.dropReady(() => true);
    this.options.logger.warn(
      { err: toLatigoError(error, 'QUEUE_UNAVAILABLE'), restart },
      restart ? 'Kafka consumer failed; kafkajs restarts it' : 'Kafka consumer failed',
    );
    if (!restart && this.state === 'running') {
      // The next receive starts a new consumer.
      this.state = 'idle';
      this.consumer = undefined;
      this.failReceivers(error);
    }
  }

  private failReceivers(error: unknown): void {
    const { settings } = this.options;
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new LatigoError(
      'QUEUE_UNAVAILABLE',
      `consuming topic "${settings.topic}" from Kafka broker ${settings.brokerLabel} failed: ${reason}`,
      {
        retriable: true,
        cause: error,
        context: { topic: settings.topic, broker: settings.brokerLabel },
      },
    );
    this.receivers.rejectAll(failure);
  }

  private async commit(commits: readonly { partition: number; offset: string }[]): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) {
      throw new LatigoError('QUEUE_UNAVAILABLE', 'the Kafka consumer is not running');
    }
    const topic = this.options.settings.topic;
    await consumer.commitOffsets(commits.map((commit) => ({ topic, ...commit })));
  }

  private async withDeadline(operation: Promise<void>, what: string): Promise<void> {
    const deadlineMs = this.options.settings.disconnectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), deadlineMs);
    });
    try {
      const result = await Promise.race([operation.then(() => 'done' as const), expired]);
      if (result === 'expired') {
        this.options.logger.warn(
          { step: what, deadlineMs },
          'closing step took too long; going on',
        );
      }
    } catch (error) {
      this.options.logger.warn(
        { step: what, err: toLatigoError(error, 'QUEUE_UNAVAILABLE') },
        'closing step failed',
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Where a message was read, as a dead-letter record tells it. */
function sourcePosition(
  topic: string,
  partition: number,
  offset: string,
  key: string | null,
  timestamp: string,
): SourcePosition {
  return { topic, partition, offset, key, timestampMs: Number(timestamp) };
}

/** A message's key as text (a copy: the fetched bytes are not kept alive). */
function keyText(message: KafkaMessage): string | null {
  return message.key === null ? null : message.key.toString('utf8');
}

/** How a delivery is named in log lines; built only when one is logged. */
function takenFields(taken: Taken): Record<string, unknown> {
  return { taskId: taken.task.id, partition: taken.offsets.partition, offset: taken.offset };
}
