import { describe, expect, it } from 'vitest';

import { ProgressBar } from './progress.js';

/** A non-terminal output that keeps what was written. */
function output(): NodeJS.WritableStream & { isTTY?: boolean; text: string } {
  const sink = {
    text: '',
    write(chunk: string) {
      sink.text += chunk;
      return true;
    },
  };
  return sink as unknown as NodeJS.WritableStream & { isTTY?: boolean; text: string };
}

describe('ProgressBar', () => {
  it('estimates the total from the windows per slot while slots are still being scheduled', () => {
    const out = output();
    const bar = new ProgressBar(out, 'back-fill');
    bar.expectSlots(21);

    bar.update({ total: 3, succeeded: 1, failed: 0, slots: 3 });
    bar.update({ total: 21, succeeded: 21, failed: 0, slots: 21 });

    expect(out.text.split('\n')).toEqual([
      'back-fill [#-----------------------------]   4% 1/~21 windows (0 failed)',
      'back-fill [##############################] 100% 21/21 windows (0 failed)',
      '',
    ]);
  });

  it('counts exactly once every slot is scheduled, and without expected slots', () => {
    const out = output();
    const bar = new ProgressBar(out, 'back-fill');

    bar.update({ total: 4, succeeded: 1, failed: 1, slots: 2 });

    expect(out.text).toBe(
      'back-fill [###############---------------]  50% 2/4 windows (1 failed)\n',
    );
  });

  it('shows older tasks from the queue beside the windows, not among them', () => {
    const out = output();
    const bar = new ProgressBar(out, 'back-fill');

    bar.update({ total: 4, succeeded: 0, failed: 0, slots: 4, older: 3 });

    expect(out.text).toBe(
      'back-fill [------------------------------]   0% 0/4 windows (0 failed; 3 older tasks from the queue)\n',
    );
  });
  it('redraws in place on a terminal, covering what is left of a longer line before', () => {
    const out = output();
    out.isTTY = true;
    const bar = new ProgressBar(out, 'back-fill');
    bar.expectSlots(21);

    bar.update({ total: 20, succeeded: 20, failed: 0, slots: 20 });
    bar.update({ total: 21, succeeded: 21, failed: 0, slots: 21 });
    bar.finish();

    const drawn = out.text.split('\r').slice(1);
    expect(drawn[0]).toBe(
      'back-fill [#############################-]  95% 20/~21 windows (0 failed)',
    );
    expect(drawn[1]).toBe(
      'back-fill [##############################] 100% 21/21 windows (0 failed) \n',
    );
  });
});
