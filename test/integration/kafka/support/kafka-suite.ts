import type { Admin, Kafka } from 'kafkajs';
import { afterAll, afterEach, beforeAll } from 'vitest';

import type { KafkaTaskQueue } from '../../../../src/task-queue/kafka/kafka-task-queue.js';
import { ensureKafkaBroker } from './broker.js';
import { testKafka } from './kafka-fixtures.js';

/** What a test file against the broker shares. `kafka` and `admin` are there once its tests run. */
export interface KafkaSuite {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Closes `queue` after the current test, whatever its outcome. */
  open(queue: KafkaTaskQueue): KafkaTaskQueue;
}

/**
 * Registers the hooks of a test file against the local broker: the broker started if needed, one
 * client and a connected admin for the file, and every queue `open`ed in a test closed after it.
 */
export function kafkaSuite(): KafkaSuite {
  let kafka: Kafka | undefined;
  let admin: Admin | undefined;
  const opened: KafkaTaskQueue[] = [];

  beforeAll(async () => {
    await ensureKafkaBroker();
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) {
      throw new Error(`the Kafka test suite's ${what} is used before its beforeAll hook ran`);
    }
    return value;
  };
  return {
    get kafka() {
      return ready(kafka, 'client');
    },
    get admin() {
      return ready(admin, 'admin');
    },
    open(queue) {
      opened.push(queue);
      return queue;
    },
  };
}
