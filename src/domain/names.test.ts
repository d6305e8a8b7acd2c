import { describe, expect, it } from 'vitest';

import { namePathSegment, nameProblem, quoteName } from './names.js';

describe('nameProblem', () => {
  it('should accept ordinary names, non-ASCII letters and emoji included', () => {
    for (const name of ['lat-lit', 'pump_01', 'Ålesund-3', 'm😀', 'a.b', '...']) {
      expect(nameProblem(name)).toBeUndefined();
    }
  });

  it('should refuse empty names and the path segments . and ..', () => {
    expect(nameProblem('')).toBe('must not be empty');
    expect(nameProblem('.')).toBe('must not be "."');
    expect(nameProblem('..')).toBe('must not be ".."');
  });

  it('should refuse names that start or end with white space, blank ones included', () => {
    expect(nameProblem(' ')).toBe('must not start or end with white space');
    expect(nameProblem('pump ')).toBe('must not start or end with white space');
    expect(nameProblem('\u00A0pump')).toBe('must not start or end with white space');
    expect(nameProblem('pump 1')).toBeUndefined();
  });

  it('should count characters, not UTF-16 units', () => {
    expect(nameProblem('😀'.repeat(256))).toBeUndefined();
    expect(nameProblem('😀'.repeat(257))).toBe('is longer than 256 characters');
    expect(nameProblem('m'.repeat(257))).toBe('is longer than 256 characters');
  });

  it('should name the forbidden character and where it is', () => {
    expect(nameProblem('pump\n1')).toBe(
      'contains a control or invisible character (U+000A) at character 5',
    );
    expect(nameProblem('m01\u202Etxt')).toBe(
      'contains a control or invisible character (U+202E) at character 4',
    );
    expect(nameProblem('a\u200Bb')).toMatch(/U\+200B/);
    expect(nameProblem('a\u2028b')).toMatch(/U\+2028/);
    expect(nameProblem('😀m01\uD800')).toBe(
      'contains an unpaired surrogate (U+D800) at character 5',
    );
    expect(nameProblem('lat/lit')).toBe('contains the path separator "/" at character 4');
    expect(nameProblem('lat\\lit')).toBe('contains the path separator "\\" at character 4');
  });
});

describe('namePathSegment', () => {
  it('should percent-encode a valid name as one path segment', () => {
    expect(namePathSegment('model', 'pump 1?x=%')).toBe('pump%201%3Fx%3D%25');
  });

  it('should refuse a name that would leave its path segment, naming it', () => {
    expect(() => namePathSegment('project', '..')).toThrow(
      expect.objectContaining({
        code: 'NAME_INVALID',
        retriable: false,
        message: 'project name ".." must not be ".."',
      }),
    );
    expect(() => namePathSegment('model', 'm\uD800')).toThrow(/unpaired surrogate/);
  });
});

describe('quoteName', () => {
  it('should quote a name with its invisible characters written as escapes', () => {
    expect(quoteName('pump-1')).toBe('"pump-1"');
    expect(quoteName('x\u202Eevil\u2028\t')).toBe('"x\\u202Eevil\\u2028\\u0009"');
  });
});
