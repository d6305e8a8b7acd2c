import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { transpileClosure } from '../../support/transpile-closure.js';
import { ROWS, TAGS } from './write-windows.child.js';

const CHILD = fileURLToPath(new URL('./write-windows.child.ts', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'latigo-two-writers-'));

function runChild(
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('sqlite prediction storage shared by two processes', () => {
  it('lets two executors write the same windows at once without errors or duplicates', async () => {
    const script = transpileClosure(CHILD, join(folder, 'build'));
    const path = join(folder, 'shared.sqlite');
    const rounds = 20;
    const windows = 6;

    const results = await Promise.all(
      ['a', 'b'].map((writer) => runChild(script, [path, writer, String(rounds), String(windows)])),
    );

    expect(results).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    const database = new Database(path, { readonly: true });
    const counts = database
      .prepare('SELECT count(*) AS points, count(DISTINCT series_id) AS series FROM points')
      .get();
    const writes = database.prepare('SELECT write_count FROM windows').all();
    database.close();
    expect(counts).toEqual({ points: windows * ROWS * TAGS, series: TAGS });
    expect(writes).toEqual(Array.from({ length: windows }, () => ({ write_count: 2 * rounds })));
  });
});
