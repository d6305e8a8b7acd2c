import { describe, expect, it } from 'vitest';

import { FaultInjector, type FaultRule } from './faults.js';

function injector(rules: FaultRule[], random = () => 0): FaultInjector {
  return new FaultInjector(rules, random);
}

describe('FaultInjector', () => {
  it('adds up latency and stops at the first answering rule', () => {
    const faults = injector([
      { type: 'latency', ms: 100 },
      { type: 'latency', ms: 50 },
      { type: 'status', status: 503 },
      { type: 'timeout' },
    ]);

    expect(faults.decide('GET', '/x')).toMatchObject({
      kind: 'status',
      status: 503,
      latencyMs: 150,
      applied: ['latency', 'latency', 'status 503'],
    });
  });

  it('matches rules by method and path prefix', () => {
    const faults = injector([{ type: 'reset', method: 'post', path: '/models' }]);

    expect(faults.decide('GET', '/models').kind).toBe('none');
    expect(faults.decide('POST', '/projects').kind).toBe('none');
    expect(faults.decide('POST', '/models/1').kind).toBe('reset');
  });

  it('drops a rule once it has fired its number of times', () => {
    const faults = injector([{ type: 'timeout', times: 1 }]);

    expect(faults.decide('GET', '/').kind).toBe('timeout');
    expect(faults.decide('GET', '/').kind).toBe('none');
    expect(faults.list()).toEqual([]);
  });

  it('fires a rule with a probability only when the random draw is below it', () => {
    let draw = 0.7;
    const faults = injector([{ type: 'status', status: 500, probability: 0.5 }], () => draw);

    expect(faults.decide('GET', '/').kind).toBe('none');
    draw = 0.2;
    expect(faults.decide('GET', '/').kind).toBe('status');
  });
});
