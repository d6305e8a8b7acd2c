import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { closestKey, knownKeysAt } from './unknown-keys.js';

describe('knownKeysAt', () => {
  const schema = z
    .object({
      section: z.object({ alpha: z.number(), beta: z.string().optional() }).prefault({ alpha: 1 }),
      piped: z
        .object({ gamma: z.number() })
        .transform((value) => value.gamma)
        .optional(),
      list: z.array(z.object({ delta: z.number() })),
    })
    .strict();

  it('finds the keys of the object at a path, through wrappers and pipes', () => {
    expect(knownKeysAt(schema, [])).toEqual(['section', 'piped', 'list']);
    expect(knownKeysAt(schema, ['section'])).toEqual(['alpha', 'beta']);
    expect(knownKeysAt(schema, ['piped'])).toEqual(['gamma']);
  });

  it('finds the keys of a list item', () => {
    expect(knownKeysAt(schema, ['list', 0])).toEqual(['delta']);
  });

  it('knows nothing where the path leaves plain objects and lists', () => {
    expect(knownKeysAt(schema, ['list', 'delta'])).toBeUndefined();
    expect(knownKeysAt(schema, ['section', 0])).toBeUndefined();
    expect(knownKeysAt(schema, ['missing'])).toBeUndefined();
    expect(knownKeysAt(schema, ['section', 'alpha'])).toBeUndefined();
  });
});

describe('closestKey', () => {
  const kafkaKeys = [
    'session.timeout.ms',
    'heartbeat.interval.ms',
    'group.id',
    'fetch.wait.max.ms',
  ];

  it('matches a key written with other separators or case, or its words in another order', () => {
    expect(closestKey('session_timeout_ms', kafkaKeys)).toBe('session.timeout.ms');
    expect(closestKey('Group-ID', kafkaKeys)).toBe('group.id');
    expect(closestKey('fetch.max.wait.ms', kafkaKeys)).toBe('fetch.wait.max.ms');
    expect(closestKey('fetch_max_wait_ms', kafkaKeys)).toBe('fetch.wait.max.ms');
  });

  it('matches a typo of up to two edits, a swap of neighbours counting as one', () => {
    expect(closestKey('instance_cont', ['instance_count', 'restart_interval_sec'])).toBe(
      'instance_count',
    );
    expect(closestKey('capcaity', ['capacity', 'type'])).toBe('capacity');
    expect(closestKey('heartbeat.intreval.mss', kafkaKeys)).toBe('heartbeat.interval.ms');
  });

  it('suggests nothing far off, for short keys, or when two keys are equally close', () => {
    expect(closestKey('fetch.min.bytes', kafkaKeys)).toBeUndefined();
    expect(closestKey('fetch.max.bytes', kafkaKeys)).toBeUndefined();
    expect(closestKey('id', ['ip', 'if'])).toBeUndefined();
    expect(closestKey('colour', ['colony', 'colors'])).toBeUndefined();
  });
});
