import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { IN_MEMORY, openDatabase } from './open-database.js';

const originalDirectory = process.cwd();

afterEach(() => {
  process.chdir(originalDirectory);
});

describe('openDatabase', () => {
  it('should keep a :memory: database in memory, writing no file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'latigo-sqlite-'));
    process.chdir(directory);

    const database = openDatabase({ path: IN_MEMORY, busyTimeoutMs: 100 });
    database.prepare('SELECT 1').get();
    database.close();

    expect(existsSync(join(directory, IN_MEMORY))).toBe(false);
  });

  it('should create a file database and its folder', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'latigo-sqlite-')), 'nested', 'results.sqlite');

    openDatabase({ path, busyTimeoutMs: 100 }).close();

    expect(existsSync(path)).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'should fail with STORAGE_FAILED naming the file when its folder cannot be made',
    () => {
      const path = '/proc/latigo-missing/results.sqlite';

      expect(() => openDatabase({ path, busyTimeoutMs: 100 })).toThrow(
        expect.objectContaining({
          code: 'STORAGE_FAILED',
          message: expect.stringContaining(`cannot open the SQLite database ${path}`) as unknown,
        }),
      );
    },
  );
});
