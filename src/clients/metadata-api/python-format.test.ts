import { describe, expect, it } from 'vitest';

import { pythonJsonDumps, pythonUtcString } from './python-format.js';

describe('pythonJsonDumps', () => {
  it('sorts keys at every level and indents by four spaces', () => {
    expect(pythonJsonDumps({ b: 1, a: [{ d: null, c: 'x' }] })).toBe(
      '{\n    "a": [\n        {\n            "c": "x",\n            "d": null\n        }\n    ],\n    "b": 1\n}',
    );
  });

  it('escapes non-ASCII characters as Python does', () => {
    expect(pythonJsonDumps({ name: 'Åsgard µ' })).toBe('{\n    "name": "\\u00c5sgard \\u00b5"\n}');
    expect(JSON.parse(pythonJsonDumps({ name: 'Åsgard µ' }))).toEqual({ name: 'Åsgard µ' });
  });
});

describe('pythonUtcString', () => {
  it('writes a UTC instant as Python str() of an aware datetime', () => {
    expect(pythonUtcString(Date.UTC(2020, 1, 1))).toBe('2020-02-01 00:00:00+00:00');
    expect(pythonUtcString(Date.UTC(2020, 1, 1, 10, 30, 5, 250))).toBe(
      '2020-02-01 10:30:05.250000+00:00',
    );
  });
});
