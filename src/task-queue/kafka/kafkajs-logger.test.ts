import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';

import { createLogger } from '../../logging/logger.js';
import { capturingLogger } from '../../../test/support/capturing-logger.js';
import { kafkajsLevel, kafkajsLogCreator } from './kafkajs-logger.js';

describe('kafkajs logging through pino', () => {
  it('flattens buffers and protocol objects, so a line never throws into kafkajs', () => {
    const { logger, lines } = capturingLogger('debug');
    const circular: Record<string, unknown> = { buffer: Buffer.from('abc') };
    circular['self'] = circular;
    const log = kafkajsLogCreator(logger)(logLevel.DEBUG);

    log({
      namespace: 'ConsumerGroup',
      level: logLevel.DEBUG,
      label: 'DEBUG',
      log: {
        timestamp: 'now',
        message: 'Group assignment',
        payload: Buffer.from('xyz'),
        assignment: { latigo_topic: [0, 1], memberAssignment: Buffer.from('q') },
        circular,
      },
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'debug',
      msg: 'Group assignment',
      kafkajs: 'ConsumerGroup',
      payload: '<3 bytes>',
      assignment: '{"latigo_topic":[0,1],"memberAssignment":"<bytes>"}',
      circular: '[unserializable]',
    });
  });

  it("reports kafkajs's errors as warnings", () => {
    const { logger, lines } = capturingLogger('info');
    const log = kafkajsLogCreator(logger)(logLevel.ERROR);

    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'now', message: 'Response GroupCoordinator', error: 'not available' },
    });

    expect(lines[0]).toMatchObject({ level: 'warn', error: 'not available' });
  });

  it("keeps a topic creation's errors at debug: the start-up check reports them itself", () => {
    const { logger, lines } = capturingLogger('debug');
    const log = kafkajsLogCreator(logger)(logLevel.ERROR);

    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 'now',
        message: 'Response CreateTopics(key: 19, version: 3)',
        error: 'Topic creation errors',
      },
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'debug', error: 'Topic creation errors' });
  });

  it("keeps kafkajs's request-level debug output off unless asked for", () => {
    expect(kafkajsLevel(createLogger({ level: 'debug' }))).toBe(logLevel.INFO);
    expect(kafkajsLevel(createLogger({ level: 'warn' }))).toBe(logLevel.WARN);
    expect(kafkajsLevel(createLogger({ level: 'silent' }))).toBe(logLevel.NOTHING);
  });
});
