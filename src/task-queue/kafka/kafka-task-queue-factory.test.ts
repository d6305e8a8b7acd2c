import { describe, expect, it } from 'vitest';

import { mergeLayers } from '../../config/load.js';
import { ProviderRegistry } from '../../registry/registry.js';
import { kafkaTaskQueueFactory } from './kafka-task-queue-factory.js';

function resolveProblem(section: Record<string, unknown>): string {
  const config = mergeLayers([{ file: 'overlay.yaml', raw: { task_queue: section } }]);
  const registry = new ProviderRegistry().register(kafkaTaskQueueFactory);
  try {
    registry.resolve('task_queue', config, ['task_queue'], section);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the section to be rejected');
}

describe('kafka task queue section', () => {
  it('should be rejected at validation when it has neither brokers nor a connection string', () => {
    expect(resolveProblem({ type: 'kafka' })).toContain(
      'overlay.yaml: task_queue: neither connection_string nor brokers is set',
    );
  });

  it('should name the connection string when it is not one, without repeating it', () => {
    const message = resolveProblem({ type: 'kafka', connection_string: 'garbageSECRET' });

    expect(message).toContain(
      'overlay.yaml: task_queue.connection_string: not an Azure Event Hubs connection string',
    );
    expect(message).not.toContain('garbageSECRET');
  });
});
