import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { isLatigoError } from '../errors/index.js';
import { mergeLayers } from '../config/load.js';
import { silentLogger } from '../logging/logger.js';
import { MemoryTaskQueue, memoryTaskQueueFactory } from '../task-queue/memory/memory-task-queue.js';
import { createDefaultRegistry } from './default-registry.js';
import { ProviderRegistry, type ProviderFactory } from './registry.js';

const layered = (raw: Record<string, unknown>) => mergeLayers([{ file: 'test.yaml', raw }]);

describe('provider registry', () => {
  it('should build the implementation named by the section type', async () => {
    const registry = new ProviderRegistry().register(memoryTaskQueueFactory);
    const config = layered({ task_queue: { type: 'memory', capacity: 5 } });

    const resolved = registry.resolve(
      'task_queue',
      config,
      ['task_queue'],
      config.merged['task_queue'],
    );
    const queue = await registry.create(resolved, { logger: silentLogger(), role: 'executor' });

    expect(queue).toBeInstanceOf(MemoryTaskQueue);
    expect(resolved.options).toEqual({ type: 'memory', capacity: 5 });
  });

  it('should reject an unknown type and list the known ones', () => {
    const registry = new ProviderRegistry().register(memoryTaskQueueFactory);
    const config = layered({ task_queue: { type: 'carrier-pigeon' } });

    let caught: unknown;
    try {
      registry.resolve('task_queue', config, ['task_queue'], config.merged['task_queue']);
    } catch (error) {
      caught = error;
    }

    expect(isLatigoError(caught) && caught.code).toBe('UNKNOWN_PROVIDER_TYPE');
    expect((caught as Error).message).toContain(
      'test.yaml: task_queue.type: unknown type "carrier-pigeon"; known types: memory',
    );
  });

  it('should reject a section without a type', () => {
    const registry = new ProviderRegistry().register(memoryTaskQueueFactory);
    const config = layered({ task_queue: { capacity: 3 } });

    expect(() =>
      registry.resolve('task_queue', config, ['task_queue'], config.merged['task_queue']),
    ).toThrow(/task_queue\.type: expected one of memory/);
  });

  it('should refuse to register one type twice', () => {
    const registry = new ProviderRegistry().register(memoryTaskQueueFactory);

    expect(() => registry.register(memoryTaskQueueFactory)).toThrow(/registered twice/);
  });

  it('should keep kinds apart: a type name of one kind is unknown to another', () => {
    const schema = z.object({ type: z.literal('memory') });
    const storage: ProviderFactory<'prediction_storage', typeof schema> = {
      kind: 'prediction_storage',
      type: 'memory',
      schema,
      create: () => ({ putPrediction: () => Promise.reject(new Error('unused')) }),
    };
    const registry = new ProviderRegistry().register(storage);

    expect(registry.knownTypes('task_queue')).toEqual([]);
    expect(registry.knownTypes('prediction_storage')).toEqual(['memory']);
  });

  it('should know every shipped type in the default registry', () => {
    const registry = createDefaultRegistry();

    expect(registry.knownTypes('task_queue')).toContain('memory');
    expect(registry.knownTypes('prediction_metadata_storage')).toContain('none');
    expect(registry.knownTypes('projects')).toContain('none');
  });
});
