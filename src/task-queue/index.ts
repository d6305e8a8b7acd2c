import type { ProviderFactory } from '../registry/registry.js';
import { kafkaTaskQueueFactory } from './kafka/kafka-task-queue-factory.js';
import { memoryTaskQueueFactory } from './memory/memory-task-queue.js';

/** Every task_queue type Latigo ships. Add a factory here to make its `type` known. */
export const taskQueueFactories: readonly ProviderFactory<'task_queue'>[] = [
  memoryTaskQueueFactory,
  kafkaTaskQueueFactory,
];
