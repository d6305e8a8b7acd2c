import { describe, expect, it } from 'vitest';

import { dataToken, listToken, readDataToken, readListToken } from './continuation.js';

describe('stand-in continuation tokens', () => {
  it('carry where each series of a read resumes', () => {
    const resume = [
      { index: 0, id: 'a', afterMs: 1000 },
      { index: 3, id: 'd', afterMs: 2000 },
    ];

    expect(readDataToken(dataToken(resume))).toEqual(resume);
  });

  it('carry the offset of a list page', () => {
    expect(readListToken(listToken(2000))).toBe(2000);
  });

  it('are not mistaken for one another or for foreign text', () => {
    expect(readDataToken(listToken(5))).toBeUndefined();
    expect(readListToken(dataToken([]))).toBeUndefined();
    expect(readDataToken('not-a-token')).toBeUndefined();
    expect(
      readDataToken(Buffer.from('{"v":1,"kind":"data","resume":[["x"]]}').toString('base64url')),
    ).toBeUndefined();
  });
});
