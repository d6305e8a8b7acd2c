import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { makeFolders } from './make-folders.js';

const made: string[] = [];

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'latigo-folders-'));
  made.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of made.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('makeFolders', () => {
  it('should create a folder and its missing parents', () => {
    const target = join(scratch(), 'a', 'b', 'c');

    makeFolders(target);

    expect(statSync(target).isDirectory()).toBe(true);
  });

  it('should leave an existing folder as it is', () => {
    const root = scratch();

    makeFolders(root);
    makeFolders(join(root, 'x'));
    makeFolders(join(root, 'x'));

    expect(statSync(join(root, 'x')).isDirectory()).toBe(true);
  });

  it('should fail naming the path when a parent is a file', () => {
    const root = scratch();
    writeFileSync(join(root, 'file'), '');

    expect(() => makeFolders(join(root, 'file', 'sub'))).toThrow(/ENOTDIR/);
  });

  it.runIf(process.platform === 'linux')('should fail, not hang, under /proc', () => {
    expect(() => makeFolders('/proc/latigo-test-missing/sub')).toThrow(/ENOENT/);
  });
});
