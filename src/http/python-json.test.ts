import { describe, expect, it } from 'vitest';

import { parsePythonJson } from './python-json.js';

describe('parsePythonJson', () => {
  it('parses plain JSON like JSON.parse', () => {
    expect(parsePythonJson('{"a": [1, 2.5, null, "x"]}')).toEqual({ a: [1, 2.5, null, 'x'] });
  });

  it('turns bare NaN, Infinity and -Infinity into non-finite numbers', () => {
    const parsed = parsePythonJson('{"v": [NaN, 1.0, Infinity, -Infinity], "w": NaN}') as {
      v: number[];
      w: number;
    };

    expect(parsed.v[0]).toBeNaN();
    expect(parsed.v[1]).toBe(1);
    expect(parsed.v[2]).toBe(Number.POSITIVE_INFINITY);
    expect(parsed.v[3]).toBe(Number.NEGATIVE_INFINITY);
    expect(parsed.w).toBeNaN();
  });

  it('leaves the words inside strings alone, escaped quotes included', () => {
    const parsed = parsePythonJson('{"name": "NaN \\" Infinity", "x": NaN}') as {
      name: string;
      x: number;
    };

    expect(parsed.name).toBe('NaN " Infinity');
    expect(parsed.x).toBeNaN();
  });

  it('rejects text that is not JSON even with the extra tokens', () => {
    expect(() => parsePythonJson('<html>sign in</html>')).toThrow(SyntaxError);
    expect(() => parsePythonJson('[NaNx]')).toThrow(SyntaxError);
    expect(() => parsePythonJson('[nan]')).toThrow(SyntaxError);
  });
});
