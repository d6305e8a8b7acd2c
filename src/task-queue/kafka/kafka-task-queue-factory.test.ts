import { describe, expect, it } from 'vitest';

import { mergeLayers } from '../../config/load.js';
import { ProviderRegistry } from '../../registry/registry.js';
import { capturingLogger } from '../../../test/support/capturing-logger.js';
import { kafkaTaskQueueSchema } from './kafka-config.js';
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

describe('kafka task queue creation', () => {
  const connection =
    'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a2V5;EntityPath=hub_tasks';

  async function warnings(topic: string | undefined): Promise<string[]> {
    const { logger, lines } = capturingLogger<{ level: string; msg: string }>();
    const options = kafkaTaskQueueSchema.parse({
      type: 'kafka',
      connection_string: connection,
      // Nothing connects here; were it to, only to loopback.
      brokers: ['127.0.0.1:9'],
      ...(topic === undefined ? {} : { topic }),
    });
    const queue = await kafkaTaskQueueFactory.create(options, {
      logger,
      role: 'scheduler',
      section: 'task_queue',
    });
    await queue.close();
    return lines.filter((line) => line.level === 'warn').map((line) => line.msg);
  }

  it("warns when a topic the user chose gives way to the connection string's EntityPath", async () => {
    expect(await warnings('my_topic')).toEqual([
      "task_queue.topic differs from the connection string's EntityPath; using EntityPath",
    ]);
  });

  it('says nothing when the topic is the default nobody chose', async () => {
    expect(await warnings(undefined)).toEqual([]);
  });
});
