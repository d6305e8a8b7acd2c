import type { Kafka, Message, Producer } from 'kafkajs';

import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { raceAbort } from '../../util/abort.js';
import { producerConfig } from './kafkajs-options.js';
import type { KafkaSettings } from './kafka-settings.js';

/** Room left in a publication for the request's own framing: an eighth, at most 16 KiB. */
const MAX_REQUEST_OVERHEAD_BYTES = 16_384;
/** Record framing per message, a generous estimate. */
const RECORD_OVERHEAD_BYTES = 64;

/**
 * A kafkajs producer that connects when there is something to send and disconnects after
 * `connections.max.idle.ms` without sending. Event Hubs silently drops connections idle for
 * 240 s and kafkajs has no idle limit of its own, so a scheduler that sleeps between slots would
 * otherwise write its next slot into dead sockets and wait for timeouts.
 */
export class IdleClosingProducer {
  private readonly producer: Producer;
  private connected = false;
  private closed = false;
  private sending = 0;
  /** A send failed: reconnect before the next one. */
  private stale = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Connects and disconnects run one after the other, in call order. */
  private lifecycle: Promise<void> = Promise.resolve();

  constructor(
    kafka: Kafka,
    private readonly settings: KafkaSettings,
    private readonly logger: Logger,
  ) {
    this.producer = kafka.producer(producerConfig(settings));
  }

  /**
   * Publishes `messages` to `topic` and resolves once the broker acknowledged every one (acks
   * from all in-sync replicas). Large sends go out in several publications below
   * `max_message_bytes`. Throws QUEUE_SEND_FAILED, retriable, naming how many were published.
   */
  async send(topic: string, messages: readonly Message[], signal?: AbortSignal): Promise<void> {
    if (this.closed) {
      throw new LatigoError('QUEUE_CLOSED', 'the Kafka task queue is closed', {
        context: { topic },
      });
    }
    const chunks = this.chunk(topic, messages);
    this.sending += 1;
    clearTimeout(this.idleTimer);
    const abortable = <T>(promise: Promise<T>): Promise<T> =>
      signal === undefined ? promise : raceAbort(promise, signal);
    let published = 0;
    try {
      await abortable(this.connect());
      signal?.throwIfAborted();
      const publish = async (chunk: Message[]): Promise<void> => {
        await this.producer.send({
          topic,
          messages: chunk,
          acks: -1,
          timeout: this.settings.requestTimeoutMs,
        });
        published += chunk.length;
      };
      // Publications go out together, over the same connections.
      await abortable(Promise.all(chunks.map(publish)));
    } catch (error) {
      this.stale = true;
      const reason = error instanceof Error ? error.message : String(error);
      throw new LatigoError(
        'QUEUE_SEND_FAILED',
        `publishing to topic "${topic}" on Kafka broker ${this.settings.brokerLabel} failed after ${published} of ${messages.length} messages: ${reason}`,
        {
          retriable: true,
          cause: error,
          context: {
            topic,
            broker: this.settings.brokerLabel,
            published,
            messages: messages.length,
          },
        },
      );
    } finally {
      this.sending -= 1;
      if (this.stale && this.sending === 0) {
        // The next attempt starts on fresh connections.
        this.stale = false;
        void this.disconnect('send failed');
      } else {
        this.armIdleTimer();
      }
    }
  }

  /** Disconnects for good. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.disconnect('closing', true);
  }

  private connect(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.connected) {
        await this.producer.connect();
        this.connected = true;
        this.logger.debug({ broker: this.settings.brokerLabel }, 'Kafka producer connected');
      }
    });
  }

  /** Disconnects unless a send started meanwhile (or always, when `force`). */
  private disconnect(why: string, force = false): Promise<void> {
    return this.enqueue(async () => {
      if (this.connected && (this.sending === 0 || force)) {
        this.connected = false;
        await this.producer.disconnect();
        this.logger.debug(
          { broker: this.settings.brokerLabel, why },
          'Kafka producer disconnected',
        );
      }
    });
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.closed || this.sending > 0) {
      return;
    }
    this.idleTimer = setTimeout(() => void this.disconnect('idle'), this.settings.idleDisconnectMs);
    this.idleTimer.unref();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch((error: unknown) => {
      this.logger.debug({ err: error }, 'Kafka producer connection change failed');
    });
    return next;
  }

  /** Splits messages into publications below max_message_bytes; one bigger message is an error. */
  private chunk(topic: string, messages: readonly Message[]): Message[][] {
    const { maxMessageBytes } = this.settings;
    const budget =
      maxMessageBytes - Math.min(MAX_REQUEST_OVERHEAD_BYTES, Math.floor(maxMessageBytes / 8));
    const chunks: Message[][] = [];
    let current: Message[] = [];
    let currentBytes = 0;
    for (const message of messages) {
      const bytes = messageBytes(message);
      if (bytes > budget) {
        throw new LatigoError(
          'QUEUE_SEND_FAILED',
          `a message of ${bytes} bytes for topic "${topic}" is larger than task_queue.max_message_bytes allows (${budget} bytes with framing)`,
          { context: { topic, bytes, budget } },
        );
      }
      if (currentBytes + bytes > budget && current.length > 0) {
        chunks.push(current);
        current = [];
        currentBytes = 0;
      }
      current.push(message);
      currentBytes += bytes;
    }
    if (current.length > 0) {
      chunks.push(current);
    }
    return chunks;
  }
}

function messageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + sizeOf(message.key) + sizeOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      (Array.isArray(value) ? value : [value]).reduce<number>((sum, item) => sum + sizeOf(item), 0);
  }
  return bytes;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) {
    return 0;
  }
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
