import { describe, expect, it } from 'vitest';

import { REDACTED, redactSecrets, TOO_DEEP } from '../util/secrets.js';
import { redactLogObject } from './redaction.js';

/** An object with `leaf` nested `depth` levels down, under keys `level0`, `level1`, ... */
function nested(depth: number, leaf: Record<string, unknown>): Record<string, unknown> {
  let object = leaf;
  for (let level = depth - 1; level >= 0; level -= 1) {
    object = { [`level${level}`]: object };
  }
  return object;
}

describe('log redaction', () => {
  it('should hand back the very object when no key in it is a secret', () => {
    const object = {
      taskId: 'abc',
      window: '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
      counts: [{ rows: 1 }, { rows: 2 }],
      err: new Error('boom'),
      value: Buffer.from('payload'),
    };

    expect(redactLogObject(object)).toBe(object);
  });

  it('should redact a secret in nested objects and arrays, leaving the original alone', () => {
    const object = {
      auth: { client_id: 'app', client_secret: 's3cret' },
      brokers: [{ host: '127.0.0.1', 'sasl.password': 'pw' }],
    };

    const redacted = redactLogObject(object);

    expect(redacted).toEqual({
      auth: { client_id: 'app', client_secret: REDACTED },
      brokers: [{ host: '127.0.0.1', 'sasl.password': REDACTED }],
    });
    expect(object.auth.client_secret).toBe('s3cret');
  });

  it('should redact whatever redactSecrets redacts, at every depth it walks', () => {
    for (let depth = 0; depth <= 12; depth += 1) {
      const object = nested(depth, { password: 'pw', harmless: 1 });

      expect(redactLogObject(object)).toEqual(redactSecrets(object));
    }
  });

  it('should never show a secret, however deep: what is too deep to walk is left out', () => {
    for (const depth of [8, 9, 31, 32, 33, 60]) {
      const shown = JSON.stringify(redactLogObject(nested(depth, { password: 'pw-SECRET' })));

      expect(shown).not.toContain('pw-SECRET');
    }
    expect(JSON.stringify(redactLogObject(nested(40, { harmless: 1 })))).toContain(TOO_DEEP);
    expect(redactLogObject(nested(20, { harmless: 1 }))).toEqual(nested(20, { harmless: 1 }));
  });

  it('should not loop on an object that holds itself', () => {
    const object: Record<string, unknown> = { name: 'loop' };
    object['self'] = object;

    let shown: unknown = redactLogObject(object);
    let steps = 0;
    while (typeof shown === 'object' && shown !== null && steps < 100) {
      shown = (shown as Record<string, unknown>)['self'];
      steps += 1;
    }
    expect(shown).toBe(TOO_DEEP);
  });
});
