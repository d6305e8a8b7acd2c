import type { Kafka } from 'kafkajs';

import { isoUtc, parseIsoUtcSeconds } from '../../domain/time-range.js';
import { toLatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { consumerConfig } from './kafkajs-options.js';
import type { KafkaSettings } from './kafka-settings.js';

/** Header carrying the slot instant a task was published for (ISO 8601 UTC). */
export const SLOT_HEADER = 'latigo-slot';

/** How long the probe may take before the scheduler starts without back-filling. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Reads the newest message of every partition of the task topic and returns the latest slot
 * named in their `latigo-slot` header: the last slot the scheduler published. Undefined when
 * the topic is empty (or expired), no message carries the header, or the probe fails (logged).
 *
 * It joins a consumer group of its own (`<group.id>.scheduler-probe`), never the executors', and
 * commits nothing.
 */
export async function probeLastSlot(
  kafka: Kafka,
  settings: KafkaSettings,
  logger: Logger,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const admin = kafka.admin();
  const consumer = kafka.consumer({
    ...consumerConfig(settings),
    groupId: `${settings.groupId}.scheduler-probe`,
  });
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(settings.topic);
    const newest = new Map<number, string>();
    for (const { partition, high, low } of offsets) {
      if (BigInt(high) > BigInt(low)) {
        newest.set(partition, (BigInt(high) - 1n).toString());
      }
    }
    if (newest.size === 0) {
      return undefined;
    }

    let latest: number | undefined;
    const pending = new Set(newest.keys());
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [settings.topic], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        if (newest.get(partition) !== message.offset) {
          return Promise.resolve();
        }
        const slot = parseIsoUtcSeconds(message.headers?.[SLOT_HEADER]?.toString() ?? '');
        if (slot !== undefined && (latest === undefined || slot > latest)) {
          latest = slot;
        }
        pending.delete(partition);
        if (pending.size === 0) {
          finish();
        }
        return Promise.resolve();
      },
    });
    for (const [partition, offset] of newest) {
      consumer.seek({ topic: settings.topic, partition, offset });
    }
    const timer = setTimeout(finish, PROBE_TIMEOUT_MS);
    const onAbort = (): void => finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    await done;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (pending.size > 0) {
      logger.warn(
        { topic: settings.topic, unread: pending.size },
        'back-fill probe did not read every partition',
      );
    }
    logger.info(
      { topic: settings.topic, lastSlot: latest === undefined ? null : isoUtc(latest) },
      'back-fill probe read the last slot',
    );
    return latest;
  } catch (error) {
    logger.warn(
      { topic: settings.topic, err: toLatigoError(error) },
      'back-fill probe failed; starting without back-fill',
    );
    return undefined;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
