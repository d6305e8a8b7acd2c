import { describe, expect, it } from 'vitest';

import type { EmbeddedSummary } from '../../app/embedded.js';
import { renderSummary } from './run.js';

function summary(overrides: Partial<EmbeddedSummary> = {}): EmbeddedSummary {
  return {
    total: 21,
    succeeded: 20,
    failed: 1,
    slots: 21,
    rows: 240,
    points: 960,
    skipped: 0,
    older: 0,
    olderFailed: 0,
    repeated: 0,
    location: 'latigo-skab.sqlite',
    failures: ['skab/valve1 2024-05-01T09:59:00Z/2024-05-01T10:00:00Z: no data'],
    ...overrides,
  };
}

describe('renderSummary', () => {
  it('shows the windows of the back-fill, and nothing else when nothing else ran', () => {
    expect(renderSummary(summary())).toBe(
      [
        'Summary',
        '  windows done:   20',
        '  windows failed: 1',
        '  rows stored:    240 (960 values; 0 non-finite skipped)',
        '  results:        latigo-skab.sqlite',
        '  failed: skab/valve1 2024-05-01T09:59:00Z/2024-05-01T10:00:00Z: no data',
        '',
      ].join('\n'),
    );
  });

  it('says how many failures it does not list', () => {
    const failures = Array.from({ length: 10 }, (_unused, index) => `skab/m${index}: no data`);

    const text = renderSummary(summary({ failed: 13, failures }));

    expect(text).toContain('  failed: skab/m9: no data\n');
    expect(text).toContain(
      '  and 3 more failed windows: each has a "task failed" line in the log on stderr\n',
    );
    expect(renderSummary(summary({ failed: 11, failures }))).toContain(
      '  and 1 more failed window:',
    );
  });

  it('lists older tasks from the queue and repeated tasks apart from the windows', () => {
    const text = renderSummary(summary({ older: 7, olderFailed: 2, repeated: 1 }));

    expect(text).toContain('  windows done:   20\n');
    expect(text).toContain(
      '  7 older tasks from the queue also ran (2 failed); they are not counted above\n',
    );
    expect(renderSummary(summary({ older: 1 }))).toContain(
      '  1 older task from the queue also ran; it is not counted above\n',
    );
    expect(text).toContain(
      '  1 repeat of windows already counted (redelivered, or copies left in the queue); not counted again\n',
    );
  });
});
