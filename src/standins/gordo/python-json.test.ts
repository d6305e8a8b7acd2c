import { describe, expect, it } from 'vitest';

import { parsePythonJson } from '../../http/index.js';
import { gordoJson, pythonJson } from './python-json.js';

describe('python-style JSON of the gordo stand-in', () => {
  it('writes non-finite numbers as Python tokens', () => {
    expect(pythonJson([Number.NaN, Infinity, -Infinity, 1.5])).toBe(
      '[NaN, Infinity, -Infinity, 1.5]',
    );
  });

  it('sorts keys and appends the revision last', () => {
    expect(gordoJson({ b: 1, a: { d: null, c: 'x' } }, '42')).toBe(
      '{"a": {"c": "x", "d": null}, "b": 1, "revision": "42"}',
    );
  });

  it('replaces a revision key of the body with the one used', () => {
    expect(gordoJson({ error: 'gone', revision: 'old' }, 'asked')).toBe(
      '{"error": "gone", "revision": "asked"}',
    );
  });

  it('is read back by the client parser', () => {
    const text = gordoJson({ data: { x: { y: { k: Number.NaN } } } }, '1');
    expect(parsePythonJson(text)).toEqual({ data: { x: { y: { k: Number.NaN } } }, revision: '1' });
  });
});
