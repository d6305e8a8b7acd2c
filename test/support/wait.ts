import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Extra text for the timeout message, e.g. the output of the processes involved. */
  readonly describe?: () => string;
}

/** Polls `condition` until it holds; fails after `timeoutMs` naming `what`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return;
    }
    if (Date.now() > deadline) {
      const details = options.describe?.() ?? '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${details}`.trim());
    }
    await sleep(options.intervalMs ?? 100);
  }
}
