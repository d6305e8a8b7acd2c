import { describe, expect, it } from 'vitest';

import { sha256Hex } from './sha256.js';

describe('sha256Hex', () => {
  it('should give the standard digests of known texts', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('should hash the UTF-8 bytes of non-ASCII text', () => {
    // The two bytes C3 B8, not the one Latin-1 byte F8.
    expect(sha256Hex('ø')).toBe('d48b452a88ac264c8b303ab6ecd9e7d12e38fa4b8cd21aa104b5b3acf83accf3');
  });
});
