import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { packageRoot } from '../../../src/util/package-root.js';
import { startLatigo } from '../../support/latigo-process.js';

/** The sample's executor overlay with its results in a folder of the test's own. */
function sampleWithResultsIn(workDir: string): string {
  const sample = readFileSync(
    join(packageRoot(), 'deploy', 'samples', 'skab', 'executor.yaml'),
    'utf8',
  );
  const results = join(workDir, 'latigo-skab.sqlite');
  const placed = sample.replaceAll("path: 'latigo-skab.sqlite'", `path: '${results}'`);
  expect(placed).toContain(results);
  const file = join(workDir, 'executor.yaml');
  writeFileSync(file, placed);
  return file;
}

describe('a continuous embedded run', () => {
  it('stops on Ctrl-C after its back-fill with exit 0 and a closing line', async () => {
    const executorConfig = sampleWithResultsIn(mkdtempSync(join(tmpdir(), 'latigo-continuous-')));
    const run = startLatigo('run', ['run', '--executor-config', executorConfig], {
      LATIGO_LOG_LEVEL: 'error',
    });
    await run.waitForLine(
      'the back-fill finishing',
      (line) => line.text === 'Going on predicting at every slot; Ctrl-C to stop.',
      120_000,
    );

    const exit = await run.stop('SIGINT');

    expect(exit.code, run.describeOutput()).toBe(0);
    expect(run.lines.at(-1)?.text).toMatch(
      /^Stopped after \d+ slots: \d+ windows done, 0 failed \(the back-fill included\)\.$/,
    );
  });
});
