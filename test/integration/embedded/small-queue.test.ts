import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { packageRoot } from '../../../src/util/package-root.js';
import { runCli } from '../../support/cli.js';

describe('embedded mode with a task queue smaller than the back-fill', () => {
  it('works through the back-fill while it is scheduled instead of waiting for room forever', async () => {
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
    const executorConfig = join(workDir, 'executor.yaml');
    writeFileSync(executorConfig, overlay);

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
});
