import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { packageRoot } from '../../../src/util/package-root.js';
import { runCli } from '../../support/cli.js';
import { startLatigo } from '../../support/latigo-process.js';

/**
 * A work folder with the sample's executor overlay, its memory queue limited to 10 tasks: the
 * 21-window back-fill fills it, and the scheduler waits 5 s before it tries a full slot again.
 */
function smallQueueSample(): { workDir: string; executorConfig: string } {
  const workDir = mkdtempSync(join(tmpdir(), 'latigo-small-queue-'));
  const sample = readFileSync(
    join(packageRoot(), 'deploy', 'samples', 'skab', 'executor.yaml'),
    'utf8',
  );
  const overlay = sample.replace(
    "task_queue:\n  type: 'memory'\n",
    "task_queue:\n  type: 'memory'\n  capacity: 10\n",
  );
  expect(overlay).toContain('capacity: 10');
  // Results in the work folder, whichever folder the process runs in.
  const results = join(workDir, 'latigo-skab.sqlite');
  const placed = overlay.replaceAll("path: 'latigo-skab.sqlite'", `path: '${results}'`);
  expect(placed).toContain(results);
  const executorConfig = join(workDir, 'executor.yaml');
  writeFileSync(executorConfig, placed);
  return { workDir, executorConfig };
}

describe('embedded mode with a task queue smaller than the back-fill', () => {
  it('works through the back-fill while it is scheduled instead of waiting for room forever', async () => {
    const { workDir, executorConfig } = smallQueueSample();

    const result = await runCli(['run', '--once', '--executor-config', executorConfig], {
      cwd: workDir,
      timeoutMs: 120_000,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('back-filling 21 slots');
    expect(result.stdout).toContain('windows done:   21');
    expect(result.stdout).toContain('windows failed: 0');
    // The queue did fill up: the scheduler retried the slots that found no room.
    expect(result.stderr).toContain('the memory task queue is full');
  });

  it('exits 130 and says so when `run --once` is interrupted before the back-fill is done', async () => {
    const { executorConfig } = smallQueueSample();
    const run = startLatigo('run-once', ['run', '--once', '--executor-config', executorConfig], {
      LATIGO_LOG_LEVEL: 'error',
    });
    // The queue is full after 10 windows and the next slot is tried again only after 5 s.
    await run.waitForLine('the back-fill starting', (line) =>
      line.text.includes('back-filling 21 slots'),
    );

    const exit = await run.stop('SIGINT');

    expect(exit.code).toBe(130);
    const interrupted = run.lines.find((line) => line.text.startsWith('Interrupted'));
    expect(interrupted?.text).toMatch(
      /^Interrupted before the back-fill was done: \d+ of \d+ scheduled windows not run, \d+ of 21 slots not scheduled\.$/,
    );
  });
});
